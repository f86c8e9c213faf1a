import { describe, expect, it } from 'vitest'
import { ESLint } from 'eslint'

// The lint rules are the architecture: this checks that they really refuse the wrong imports.
const eslint = new ESLint({ cwd: process.cwd() })

async function restrictedImports(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').length
}

describe('import layering', () => {
  it('keeps shared free of runtimes and of the other folders', async () => {
    expect(await restrictedImports('src/shared/x.ts', "import { readFileSync } from 'node:fs'\nexport const a = readFileSync\n")).toBe(1)
    expect(await restrictedImports('src/shared/x.ts', "import { db } from '../client/db/db'\nexport const a = db\n")).toBe(1)
    expect(await restrictedImports('src/shared/x.ts', "import { z } from 'zod'\nexport const a = z\n")).toBe(0)
  })

  it('never lets client and server import each other', async () => {
    expect(await restrictedImports('src/client/x.ts', "import { buildApp } from '../server/app'\nexport const a = buildApp\n")).toBe(1)
    expect(await restrictedImports('src/server/x.ts', "import { db } from '../client/db/db'\nexport const a = db\n")).toBe(1)
  })

  it('keeps pages and components away from the database layer', async () => {
    expect(await restrictedImports('src/client/pages/X.ts', "import { db } from '../db/db'\nexport const a = db\n")).toBe(1)
    expect(await restrictedImports('src/client/components/X.ts', "import Dexie from 'dexie'\nexport const a = Dexie\n")).toBe(1)
    expect(await restrictedImports('src/client/stores/x.ts', "import { db } from '../db/db'\nexport const a = db\n")).toBe(0)
  })
})
