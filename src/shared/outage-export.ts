import type { CallbackSummary } from './callback'
import type { CallRecordData } from './call-record'
import type { FaultData, FaultState } from './fault'
import type { RecordEnvelope } from './records'

/**
 * The export of an outage's call records for re-entry into the CRM: CSV for people (Excel opens
 * UTF-8 only with a byte order mark, else Chinese turns into mojibake) and JSON for machines.
 * The column order is fixed; the client passes headers and value labels in the user's language.
 */
export const CALL_EXPORT_COLUMNS = [
  'recordId',
  'calledAt',
  'agent',
  'callerPhone',
  'callerPhoneStatus',
  'callerName',
  'customerNumber',
  'category',
  'priority',
  'request',
  'answer',
  'callbackNeeded',
  'callbackNumber',
  'callbackTime',
  'callbackState',
  'callbackAttempts',
  'callbackLastBy',
  'callbackLastAt',
  'reenteredBy',
  'reenteredAt',
  'faultId',
] as const
export type CallExportColumn = (typeof CALL_EXPORT_COLUMNS)[number]
export type CallExportRow = Record<CallExportColumn, string | number | boolean>

export interface CallExportItem {
  record: RecordEnvelope
  /** Only for records that need a callback. */
  callback?: CallbackSummary
}

export const UTF8_BOM = '\ufeff'

export function callExportRow({ record, callback }: CallExportItem): CallExportRow {
  const data = record.data as CallRecordData
  return {
    recordId: record.id,
    calledAt: data.calledAt,
    agent: record.author,
    callerPhone: data.callerPhone,
    callerPhoneStatus: data.callerPhoneStatus ?? '',
    callerName: data.callerName,
    customerNumber: data.customerNumber ?? '',
    category: data.category ?? '',
    priority: data.priority ?? '',
    request: data.request,
    answer: data.answer ?? '',
    callbackNeeded: data.callbackNeeded,
    callbackNumber: data.callbackNeeded ? data.callbackNumber || data.callerPhone : '',
    callbackTime: data.callbackTime ?? '',
    callbackState: callback?.state ?? '',
    callbackAttempts: callback ? callback.attempts : '',
    callbackLastBy: callback?.last?.author ?? '',
    callbackLastAt: callback?.last?.at ?? '',
    reenteredBy: callback?.reentered?.author ?? '',
    reenteredAt: callback?.reentered?.at ?? '',
    faultId: data.faultId ?? '',
  }
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * A cell that starts like a formula (= + - @, tab, CR) gets a leading apostrophe, so a spreadsheet
 * shows the text instead of running it; a phone number in `+86…` form is shown the same way.
 */
export function csvCell(value: string | number | boolean): string {
  let text = String(value)
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** A whole CSV file: BOM, a header line, one line per row, CRLF line ends (what Excel expects). */
export function toCsv<C extends string>(
  columns: readonly C[],
  headers: Record<C, string>,
  rows: Record<C, string | number | boolean>[],
  format: (column: C, value: string | number | boolean) => string | number | boolean = (_c, v) => v,
): string {
  const lines = [columns.map((c) => csvCell(headers[c])).join(',')]
  for (const row of rows) lines.push(columns.map((c) => csvCell(format(c, row[c]))).join(','))
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`
}

/** The JSON export: the outage, and every call record as stored, with its callback state and steps. */
export function outageExportJson(
  fault: { record: RecordEnvelope; state: FaultState },
  items: CallExportItem[],
  exportedAt: string,
): string {
  const data = fault.record.data as FaultData
  return JSON.stringify(
    {
      format: 'steadyline.outage.v1',
      exportedAt,
      fault: {
        id: fault.record.id,
        author: fault.record.author,
        ...data,
        recoveredAt: fault.state.recoveredAt ?? null,
        durationMinutes: fault.state.durationMs === undefined ? null : Math.round(fault.state.durationMs / 60_000),
      },
      records: items.map(({ record, callback }) => ({
        id: record.id,
        author: record.author,
        createdAt: record.createdAt,
        data: record.data,
        callback: callback
          ? {
              state: callback.state,
              attempts: callback.attempts,
              steps: callback.history.map((s) => ({ id: s.id, action: s.state, at: s.at, by: s.author, note: s.note, applied: s.applied })),
            }
          : null,
      })),
    },
    null,
    2,
  )
}
