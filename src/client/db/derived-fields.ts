import type { DBCore, DBCoreKeyRange, DBCoreMutateRequest, DBCoreTable, Middleware, Transaction } from 'dexie'
import type { LocalRecord } from './AppDB'
import type { RecordKind } from '../../shared/records'

/**
 * Local fields that a record carries, derived from the records under it: an incident's archive
 * keys from its close and reopen events (incident-index.ts), a fault's or a callback call's desk
 * keys from its events (outage-index.ts). Lists then read one index and no child record.
 *
 * Children arrive after their parent, before it (a pull page) or in the same batch, from any
 * tablet. The middleware below derives a parent's fields on every write of it, and again for a
 * stored parent whenever one of its children is written, in the SAME transaction, whichever path
 * writes it (a local save, a pull): the fields can never disagree with the records on the tablet.
 * A schema upgrade derives them itself (`fillDerivedFields`): the middleware leaves its writes alone.
 */

/** The derived fields: each a list, absent when derived as `undefined`. */
export type DerivedFields = Partial<Pick<LocalRecord, 'archiveKeys' | 'paperwork' | 'deskKeys'>>

/** How one kind of record derives its fields from its children. */
export interface Derivation {
  /** The kind of the records that carry the fields (the parents). */
  kind: RecordKind
  /** The fields it derives; one it derives as `undefined` is removed. */
  fields: readonly (keyof DerivedFields)[]
  /** The children it reads, by kind, from `[parentId+kind+createdAt]`; `limit` when their presence is enough. */
  children: readonly { kind: RecordKind; limit?: number }[]
  /** The parent whose fields writing this record can change, or undefined. */
  parentOf(record: LocalRecord): string | undefined
  /** Whether a parent's fields depend on its children at all: when not, none is read. @default always */
  readsChildren?(parent: LocalRecord): boolean
  /**
   * The fields, from what `sameEnvelope` compares of the parent and its children (their kind,
   * data, time and author): a record rewritten the same changes nothing.
   */
  derive(parent: LocalRecord, children: readonly LocalRecord[]): DerivedFields
}

const MAX = '\uffff'
const RANGE = 2 as DBCoreKeyRange['type'] // DBCoreRangeType.Range, a const enum

/** A time that sorts: the ISO text as UTC (`fallback` when unreadable), 24 characters. */
export function sortableInstant(value: unknown, fallback: string): string {
  const at = Date.parse(String(value))
  return new Date(Number.isNaN(at) ? Date.parse(fallback) : at).toISOString()
}

const sameList = (a: readonly string[] = [], b: readonly string[] = []) => a.length === b.length && a.every((item, i) => item === b[i])

function sameFields(record: LocalRecord, derivation: Derivation, fields: DerivedFields): boolean {
  return derivation.fields.every((name) => sameList(record[name], fields[name]))
}

/** Sets the fields on `record` itself (removing those derived as undefined). */
function applyFields(record: LocalRecord, derivation: Derivation, fields: DerivedFields): void {
  for (const name of derivation.fields) {
    if (fields[name] === undefined) delete record[name]
    else Object.assign(record, { [name]: fields[name] })
  }
}

function withFields(record: LocalRecord, derivation: Derivation, fields: DerivedFields): LocalRecord {
  const copy = { ...record }
  applyFields(copy, derivation, fields)
  return copy
}

/** Whether a record is rewritten with what every derivation reads of it (not its sync state). */
function sameEnvelope(a: LocalRecord, b: LocalRecord): boolean {
  return (
    a.kind === b.kind &&
    a.createdAt === b.createdAt &&
    a.author === b.author &&
    a.deviceId === b.deviceId &&
    JSON.stringify(a.data) === JSON.stringify(b.data)
  )
}

const readsChildren = (derivation: Derivation, parent: LocalRecord) => derivation.readsChildren?.(parent) ?? true

async function mutateRecords(table: DBCoreTable, derivations: readonly Derivation[], req: DBCoreMutateRequest) {
  if (req.type !== 'add' && req.type !== 'put') return table.mutate(req)
  if ((req.trans as unknown as IDBTransaction).mode === 'versionchange') return table.mutate(req)
  const { trans } = req
  const values = req.values as (LocalRecord | undefined)[]
  const written: { i: number; derivation: Derivation }[] = []
  const named = new Map<Derivation, Map<string, LocalRecord[]>>()
  values.forEach((value, i) => {
    if (!value) return
    for (const derivation of derivations) {
      if (value.kind === derivation.kind) written.push({ i, derivation })
      const parentId = derivation.parentOf(value)
      if (!parentId) continue
      let byParent = named.get(derivation)
      if (!byParent) named.set(derivation, (byParent = new Map()))
      const children = byParent.get(parentId)
      if (children) children.push(value)
      else byParent.set(parentId, [value])
    }
  })
  if (written.length === 0 && named.size === 0) return table.mutate(req)
  const index = table.schema.getIndexByKeyPath(['parentId', 'kind', 'createdAt'])
  if (!index) return table.mutate(req) // every schema since version 3 has it

  // What a put rewrites as it was (a push marking records synced, a pull bringing this tablet's own
  // records back) changes no derived field: one read of the stored versions spares a child read each.
  const before = new Map<string, LocalRecord>()
  if (req.type === 'put') {
    const keys = [
      ...new Set([
        ...written.filter(({ i, derivation }) => readsChildren(derivation, values[i]!)).map(({ i }) => values[i]!.id),
        ...[...named.values()].flatMap((byParent) => [...byParent.values()].flat().map((child) => child.id)),
      ]),
    ]
    const stored = keys.length > 0 ? ((await table.getMany({ trans, keys })) as (LocalRecord | undefined)[]) : []
    stored.forEach((record, k) => record && before.set(keys[k]!, record))
  }
  const unchanged = (record: LocalRecord) => {
    const stored = before.get(record.id)
    return !!stored && sameEnvelope(stored, record)
  }
  for (const byParent of named.values()) {
    for (const [parentId, children] of byParent) {
      const changed = children.filter((child) => !unchanged(child))
      if (changed.length > 0) byParent.set(parentId, changed)
      else byParent.delete(parentId)
    }
  }

  /** A parent's children: those on the tablet, with this batch's versions in place of theirs. */
  const childrenOf = async (derivation: Derivation, parentId: string): Promise<LocalRecord[]> => {
    const batch = named.get(derivation)?.get(parentId) ?? []
    const inBatch = new Set(batch.map((child) => child.id))
    const found = await Promise.all(
      derivation.children.map(({ kind, limit }) =>
        table.query({ trans, values: true, query: { index, range: { type: RANGE, lower: [parentId, kind, ''], upper: [parentId, kind, MAX] } }, ...(limit ? { limit } : {}) }),
      ),
    )
    return [...found.flatMap(({ result }) => result as LocalRecord[]).filter((child) => !inBatch.has(child.id)), ...batch]
  }

  // parents already on the tablet that one of this batch's children changes
  const writtenIds = new Set(values.map((value) => value?.id))
  const others = [...named].flatMap(([derivation, byParent]) => [...byParent.keys()].filter((id) => !writtenIds.has(id)).map((id) => ({ derivation, id })))
  const otherParents = others.length > 0 ? ((await table.getMany({ trans, keys: others.map(({ id }) => id) })) as (LocalRecord | undefined)[]) : []

  // the children of every parent concerned, read together
  const [ownFields, rewritten] = await Promise.all([
    Promise.all(
      written.map(async ({ i, derivation }) => {
        const parent = values[i]!
        if (!readsChildren(derivation, parent)) return derivation.derive(parent, [])
        const previous = before.get(parent.id)
        if (previous && unchanged(parent) && !named.get(derivation)?.has(parent.id)) {
          return Object.fromEntries(derivation.fields.map((name) => [name, previous[name]])) as DerivedFields
        }
        return derivation.derive(parent, await childrenOf(derivation, parent.id))
      }),
    ),
    Promise.all(
      others.map(async ({ derivation, id }, k) => {
        const parent = otherParents[k]
        if (parent?.kind !== derivation.kind || !readsChildren(derivation, parent)) return undefined
        const fields = derivation.derive(parent, await childrenOf(derivation, id))
        return sameFields(parent, derivation, fields) ? undefined : withFields(parent, derivation, fields)
      }),
    ),
  ])
  const out = [...values]
  ownFields.forEach((fields, k) => {
    const { i, derivation } = written[k]!
    out[i] = withFields(out[i]!, derivation, fields)
  })
  const changed = rewritten.filter((record): record is LocalRecord => record !== undefined)
  const response = await table.mutate({ ...req, values: out })
  if (changed.length > 0) {
    const result = await table.mutate({ type: 'put', trans, values: changed })
    if (result.numFailures > 0) throw result.failures[0] ?? new Error('derived fields not written')
  }
  return response
}

/** Keeps the fields of every derivation true to the records on the tablet (see above); registered once by AppDB. */
export function derivedFieldsMiddleware(derivations: readonly Derivation[]): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'derivedFields',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name)
        return name === 'records' ? { ...table, mutate: (req) => mutateRecords(table, derivations, req) } : table
      },
    }),
  }
}

/**
 * A schema upgrade's part: the fields of the parents already on the tablet, from one read of each
 * child kind. `touch` changes anything else the same upgrade needs of these parents, in the same
 * pass (every parent is then written).
 */
export async function fillDerivedFields(tx: Transaction, derivations: readonly Derivation[], touch?: (record: LocalRecord) => void): Promise<void> {
  const records = tx.table<LocalRecord, string>('records')
  for (const derivation of derivations) {
    const children = new Map<string, LocalRecord[]>()
    for (const { kind } of derivation.children) {
      await records
        .where('[kind+createdAt]')
        .between([kind, ''], [kind, MAX])
        .each((child) => {
          const parentId = derivation.parentOf(child)
          if (!parentId) return
          const list = children.get(parentId)
          if (list) list.push(child)
          else children.set(parentId, [child])
        })
    }
    await records
      .where('[kind+createdAt]')
      .between([derivation.kind, ''], [derivation.kind, MAX])
      .modify((record) => {
        touch?.(record)
        const fields = derivation.derive(record, children.get(record.id) ?? [])
        if (!touch && sameFields(record, derivation, fields)) return false
        applyFields(record, derivation, fields)
      })
  }
}
