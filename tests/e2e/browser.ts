import { chromium, type Browser, type Page } from 'playwright-core'
import type { Role } from '../../src/shared/people'
import { addPersonHttp, adminToken, type RunningServer } from './server'

/** Flags for a headless Chromium on a machine with no internet: without them it keeps trying. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/** The Chromium binary: `CHROMIUM_PATH` when set, else the one `npm ci` installed with @sparticuz/chromium. */
export async function chromiumPath(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH
  const sparticuz = (await import('@sparticuz/chromium')).default
  return sparticuz.executablePath()
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS, headless: true })
}

export const E2E_PIN = '1357'

/** A stable staff number for a tablet's test person, from the site and device names. */
export function staffNoFor(siteName: string, deviceName: string): string {
  let h = 0
  for (const c of `${siteName}/${deviceName}`) h = (h * 31 + c.charCodeAt(0)) >>> 0
  return `E${h.toString(36)}`
}

/** The site's id, creating the site through the admin API when it does not exist yet. */
export async function ensureSite(server: Pick<RunningServer, 'url' | 'adminPin'>, siteName: string): Promise<string> {
  const token = await adminToken(server)
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
  const created = await fetch(`${server.url}/api/admin/sites`, { method: 'POST', headers, body: JSON.stringify({ name: siteName }) })
  if (created.status === 201) return ((await created.json()) as { id: string }).id
  const sites = (await (await fetch(`${server.url}/api/admin/sites`, { headers })).json()) as { id: string; name: string }[]
  const site = sites.find((s) => s.name === siteName)
  if (!site) throw new Error(`site ${siteName} neither created (${created.status}) nor found`)
  return site.id
}

/** Signs a person in on the tablet's sign-in screen (the page is on it), syncing the roster if needed. */
export async function signIn(page: Page, staffNo: string, pin = E2E_PIN): Promise<void> {
  await page.getByTestId('sign-in').waitFor()
  const person = page.getByTestId(`person-${staffNo}`)
  // the roster comes down with the first sync after enrollment; nudge it when it is slow
  for (let i = 0; i < 20; i++) {
    if (await person.waitFor({ timeout: 1000 }).then(() => true, () => false)) break
    await page.getByTestId('roster-sync').click({ timeout: 500 }).catch(() => undefined)
  }
  await person.click()
  await page.locator('input[name="pin"]').fill(pin)
  await page.getByTestId('pin-submit').click()
  await page.waitForURL((url) => url.pathname !== '/sign-in')
}

/**
 * Puts a person on the site's roster (a supervisor unless told: every screen is theirs), fills the
 * enrollment form (the page is on it), and signs that person in: the tablet is then on its home
 * screen, as a real one is after its first morning.
 */
export async function submitEnrollment(
  page: Page,
  server: Pick<RunningServer, 'url' | 'adminPin' | 'enrollmentCode'>,
  siteName: string,
  deviceName: string,
  person: { name?: string; role?: Role; staffNo?: string } = {},
): Promise<{ siteId: string; staffNo: string; personId: string }> {
  const siteId = await ensureSite(server, siteName)
  const staffNo = person.staffNo ?? staffNoFor(siteName, deviceName)
  const added = await addPersonHttp(server, {
    siteId,
    name: person.name ?? `${deviceName}值班员`,
    staffNo,
    role: person.role ?? 'supervisor',
    pin: E2E_PIN,
  })
  await page.locator('input[name="siteName"]').fill(siteName)
  await page.locator('input[name="enrollmentCode"]').fill(server.enrollmentCode)
  await page.locator('input[name="deviceName"]').fill(deviceName)
  await page.getByRole('button', { name: '登记' }).click()
  await signIn(page, staffNo)
  await page.waitForURL((url) => url.pathname === '/')
  return { siteId, staffNo, personId: added.id }
}
