import { chromium, type Browser, type Page } from 'playwright-core'

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

/** Fills the enrollment form (the page is on it) and waits for the home screen. */
export async function submitEnrollment(page: Page, enrollmentCode: string, siteName: string, deviceName: string): Promise<void> {
  await page.locator('input[name="siteName"]').fill(siteName)
  await page.locator('input[name="enrollmentCode"]').fill(enrollmentCode)
  await page.locator('input[name="deviceName"]').fill(deviceName)
  await page.getByRole('button', { name: '登记' }).click()
  await page.waitForURL((url) => url.pathname === '/')
}
