import type { SessionResponse } from '../../src/shared/admin'

/** A console session of a supervisor over one site, as the console's component tests use it. */
export const SITE = '0192f0c4-0000-7000-8000-00000000000a'
export const SESSION: SessionResponse = {
  token: 't'.repeat(43),
  expiresAt: '2099-01-01T00:00:00.000Z',
  person: { id: '0192f0c4-0000-7000-8000-000000000001', name: '周主管', staffNo: 'S001', role: 'supervisor', siteId: SITE },
  sites: [{ id: SITE, name: '第一营业厅' }],
}
/** A label in both languages. */
export const label = (zh: string, en: string) => ({ 'zh-CN': zh, en })
