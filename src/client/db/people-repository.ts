import type { AppDB } from './AppDB'
import type { Enrollment } from './meta-repository'
import type { PersonRecordData, SiteSettingsData } from '../../shared/people'
import { schemas, type RecordSchemas } from '../schemas'

async function dataOf(db: AppDB, kind: 'person' | 'siteSettings'): Promise<unknown[]> {
  const rows = await db.records.where('[kind+createdAt]').between([kind, ''], [kind, '\uffff']).toArray()
  return rows.map((r) => r.data)
}

/** The site's current roster from the stored person records: highest versions, sorted by name. */
function peopleOf({ currentPeople }: RecordSchemas, datas: unknown[], siteId: string): PersonRecordData[] {
  return currentPeople(datas)
    .filter((p) => p.siteId === siteId)
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
}

/**
 * The site's roster as it came down by pull: the highest version of each person, active or not
 * (a person who left still names the records they made), sorted by name.
 */
export async function listPeople(db: AppDB, siteId: string): Promise<PersonRecordData[]> {
  const [loaded, datas] = await Promise.all([schemas(), dataOf(db, 'person')])
  return peopleOf(loaded, datas, siteId)
}

/** The people on the roster who can work: active ones. */
export async function listRoster(db: AppDB, siteId: string): Promise<PersonRecordData[]> {
  return (await listPeople(db, siteId)).filter((p) => p.active)
}

export async function getPerson(db: AppDB, siteId: string, personId: string): Promise<PersonRecordData | undefined> {
  return (await listPeople(db, siteId)).find((p) => p.id === personId)
}

/** Who is at the tablet, as the start screen, the sign-in check and each new record's author need it. */
export interface OperatorState<S> {
  enrollment: Enrollment | undefined
  /** The meta row of the person signed in (see the operator store), if any. */
  signedIn: S | undefined
  /** The site's roster (inactive people included), sorted by name; [] before enrollment. */
  roster: PersonRecordData[]
  settings: SiteSettingsData | undefined
}

/**
 * The enrollment, the signed-in marker (meta `signedInKey`), the roster and the site's settings in
 * one read-only transaction, parsed with the schemas loaded meanwhile: at start, one round trip to
 * IndexedDB instead of one per read, one after the other.
 */
export async function readOperatorState<S>(db: AppDB, signedInKey: string): Promise<OperatorState<S>> {
  const loading = schemas()
  loading.catch(() => undefined) // awaited below only for an enrolled tablet, which rethrows it
  const rows = await db.transaction('r', db.meta, db.records, async () => {
    // all three reads at once: one round trip
    const [[enrollment, signedIn], people, settings] = await Promise.all([
      db.meta.bulkGet(['enrollment', signedInKey]),
      dataOf(db, 'person'),
      dataOf(db, 'siteSettings'),
    ])
    return { enrollment: enrollment?.value as Enrollment | undefined, signedIn: signedIn?.value as S | undefined, people, settings }
  })
  const siteId = rows.enrollment?.siteId
  // not enrolled: no roster to check, nothing to wait for
  if (!siteId) return { enrollment: rows.enrollment, signedIn: rows.signedIn, roster: [], settings: undefined }
  const loaded = await loading
  return {
    enrollment: rows.enrollment,
    signedIn: rows.signedIn,
    roster: peopleOf(loaded, rows.people, siteId),
    settings: loaded.currentSiteSettings(rows.settings).find((s) => s.id === siteId),
  }
}
