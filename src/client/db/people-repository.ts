import type { AppDB } from './AppDB'
import type { PersonRecordData, SiteSettingsData } from '../../shared/people'
import { schemas } from '../schemas'

async function dataOf(db: AppDB, kind: 'person' | 'siteSettings'): Promise<unknown[]> {
  const rows = await db.records.where('[kind+createdAt]').between([kind, ''], [kind, '\uffff']).toArray()
  return rows.map((r) => r.data)
}

/**
 * The site's roster as it came down by pull: the highest version of each person, active or not
 * (a person who left still names the records they made), sorted by name.
 */
export async function listPeople(db: AppDB, siteId: string): Promise<PersonRecordData[]> {
  const [{ currentPeople }, datas] = await Promise.all([schemas(), dataOf(db, 'person')])
  const people = currentPeople(datas)
  return people.filter((p) => p.siteId === siteId).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
}

/** The people on the roster who can work: active ones. */
export async function listRoster(db: AppDB, siteId: string): Promise<PersonRecordData[]> {
  return (await listPeople(db, siteId)).filter((p) => p.active)
}

export async function getPerson(db: AppDB, siteId: string, personId: string): Promise<PersonRecordData | undefined> {
  return (await listPeople(db, siteId)).find((p) => p.id === personId)
}

export async function getSiteSettings(db: AppDB, siteId: string): Promise<SiteSettingsData | undefined> {
  const [{ currentSiteSettings }, datas] = await Promise.all([schemas(), dataOf(db, 'siteSettings')])
  return currentSiteSettings(datas).find((s) => s.id === siteId)
}
