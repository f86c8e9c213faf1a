import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { until } from '@vueuse/core'
import { db } from '../db/db'
import type { LocalRecord } from '../db/AppDB'
import { getEnrollment } from '../db/meta-repository'
import { useOperatorStore } from './operator'
import { listOrgRecords, saveOrgRecord } from '../db/org-records-repository'
import { useLiveQuery } from '../composables/useLiveQuery'
import { useSyncStore } from './sync'
import { buildCatalog, nextVersion, type CatalogRecord } from '../../shared/catalog'
import { newId } from '../../shared/ids'
import type { ContactRecordData } from '../../shared/org-records'
import type { Contact, Playbook, PlaybookCategory } from '../../shared/playbook'
import { schemas, type RecordSchemas } from '../schemas'

/** Folds case and full-width forms, so "ＵＰＳ", "ups" and "UPS" find the same plan. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '')
}

/** Every text a plan can be found by: titles, keywords, trigger, in both languages. */
function haystack(p: Playbook): string {
  return fold(
    [p.id, p.title['zh-CN'], p.title.en, p.trigger['zh-CN'], p.trigger.en, ...p.keywords['zh-CN'], ...p.keywords.en].join('|'),
  )
}

/** Validated at load: a record the schema no longer accepts is left out rather than break a screen. */
function catalogRecords<T>(records: LocalRecord[], parse: (data: unknown) => { success: true; data: T } | { success: false }) {
  return records.flatMap((r): CatalogRecord<T & { id: string; version: number }>[] => {
    const parsed = parse(r.data)
    return parsed.success ? [{ data: parsed.data as T & { id: string; version: number }, rejected: r.syncState === 'rejected' }] : []
  })
}

interface Shipped {
  playbooks: Playbook[]
  contacts: ContactRecordData[]
}

/**
 * The plans and contacts shipped with the app, loaded apart from the start path (they are a
 * sixth of the app's start-up script): the server seeds the same plans as records, so a tablet
 * that has synced once paints its plans from IndexedDB; the shipped ones are the first run's
 * plans (before the first pull) and a newer app's plans until the server has them too. Typed data
 * that tests/shared/playbooks.test.ts parses with the schema: not parsed again here.
 */
function loadShipped(): Promise<Shipped> {
  return import('../../shared/playbooks').then(({ SHIPPED_PLAYBOOKS, DEFAULT_CONTACTS }) => ({
    playbooks: SHIPPED_PLAYBOOKS,
    contacts: DEFAULT_CONTACTS.map((c) => ({ ...c, version: 1 })),
  }))
}

export class NotEnrolledForEditError extends Error {
  constructor() {
    super('this tablet is not enrolled')
    this.name = 'NotEnrolledForEditError'
  }
}

/**
 * The plans and the contact list on this tablet: the shipped ones merged with the `playbook` and
 * `contact` records pulled from the server or saved here (see shared/catalog.ts for the rules).
 * A plan's current version is its highest; an incident reads the version it started with.
 */
export const usePlaybooksStore = defineStore('playbooks', () => {
  const sync = useSyncStore()
  const { value: rows, ready } = useLiveQuery(
    async () => ({ playbooks: await listOrgRecords(db, 'playbook'), contacts: await listOrgRecords(db, 'contact') }),
    { initial: { playbooks: [] as LocalRecord[], contacts: [] as LocalRecord[] } },
  )

  const shipped = shallowRef<Shipped>({ playbooks: [], contacts: [] })
  const shippedLoaded = loadShipped().then(
    (loaded) => {
      shipped.value = loaded
    },
    (error: unknown) => console.error('the shipped plans did not load', error),
  )

  // The plans' schemas check the stored records; they load beside the shipped plans, off the start path.
  const parsers = shallowRef<RecordSchemas>()
  const parsersLoaded = schemas().then(
    (loaded) => {
      parsers.value = loaded
    },
    (error: unknown) => console.error('the plans\' schemas did not load', error),
  )

  /** Resolves when the catalog holds everything on the tablet (pages that copy a plan into a form wait for it). */
  const loaded: Promise<void> = Promise.all([shippedLoaded, parsersLoaded, until(ready).toBe(true)]).then(() => undefined)

  const playbookCatalog = computed(() => {
    const parse = parsers.value
    return buildCatalog<Playbook>(shipped.value.playbooks, parse ? catalogRecords(rows.value.playbooks, (d) => parse.PlaybookSchema.safeParse(d)) : [])
  })
  const contactCatalog = computed(() => {
    const parse = parsers.value
    return buildCatalog<ContactRecordData>(
      shipped.value.contacts,
      parse ? catalogRecords(rows.value.contacts, (d) => parse.ContactRecordDataSchema.safeParse(d)) : [],
    )
  })

  const playbooks = computed<Playbook[]>(() => playbookCatalog.value.current)
  const contacts = computed<ContactRecordData[]>(() => contactCatalog.value.current)
  const index = computed(() => playbooks.value.map((p) => ({ playbook: p, text: haystack(p) })))

  /** The current (highest) version. */
  function byId(id: string): Playbook | undefined {
    return playbookCatalog.value.byId(id)
  }

  /** Exactly this version, e.g. the one an incident started with. */
  function byIdVersion(id: string, version: number): Playbook | undefined {
    return playbookCatalog.value.byIdVersion(id, version)
  }

  function byCategory(category: PlaybookCategory): Playbook[] {
    return playbooks.value.filter((p) => p.category === category)
  }

  /** Plans whose title, trigger or keywords contain every word of the query. */
  function search(query: string): Playbook[] {
    const words = query.split(/\s+/).map(fold).filter(Boolean)
    if (words.length === 0) return playbooks.value
    return index.value.filter(({ text }) => words.every((w) => text.includes(w))).map(({ playbook }) => playbook)
  }

  function contact(id: string | undefined): ContactRecordData | undefined {
    return id ? contactCatalog.value.byId(id) : undefined
  }

  const operator = useOperatorStore()
  async function author() {
    const enrollment = await getEnrollment(db)
    if (!enrollment) throw new NotEnrolledForEditError()
    return operator.who()
  }

  /**
   * Saves an edited (or new) plan as the next version. The caller validated it with PlaybookSchema;
   * it is parsed again here so that nothing invalid is ever queued. Returns the version saved.
   */
  // Issue 7 (people and roles): only a supervisor may save a plan or a contact; check it here.
  async function savePlaybook(edited: Playbook): Promise<Playbook> {
    await Promise.all([shippedLoaded, parsersLoaded]) // the next version counts the shipped and the stored ones
    const { PlaybookSchema } = await schemas()
    const playbook = PlaybookSchema.parse({ ...edited, version: nextVersion(playbookCatalog.value, edited.id) })
    await saveOrgRecord(db, await author(), 'playbook', newId(), playbook, new Date())
    sync.notifyWrite()
    return playbook
  }

  // Issue 7 (people and roles): the supervisor check goes here too.
  async function saveContact(edited: Contact): Promise<ContactRecordData> {
    await Promise.all([shippedLoaded, parsersLoaded])
    const { ContactRecordDataSchema } = await schemas()
    const contact = ContactRecordDataSchema.parse({ ...edited, version: nextVersion(contactCatalog.value, edited.id) })
    await saveOrgRecord(db, await author(), 'contact', newId(), contact, new Date())
    sync.notifyWrite()
    return contact
  }

  /** The version the next save of `id` gets (one above any this tablet knows, refused ones included). */
  function nextPlaybookVersion(id: string): number {
    return nextVersion(playbookCatalog.value, id)
  }

  return { loaded, playbooks, contacts, byId, byIdVersion, byCategory, search, contact, nextPlaybookVersion, savePlaybook, saveContact }
})
