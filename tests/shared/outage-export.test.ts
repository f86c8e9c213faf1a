import { describe, expect, it } from 'vitest'
import { deriveCallback, type CallbackEvent } from '../../src/shared/callback'
import { deriveFaultState } from '../../src/shared/fault'
import { newId } from '../../src/shared/ids'
import { CALL_EXPORT_COLUMNS, callExportRow, csvCell, outageExportJson, toCsv, UTF8_BOM, type CallExportColumn } from '../../src/shared/outage-export'
import type { RecordEnvelope } from '../../src/shared/records'

/** A small RFC 4180 reader: what Excel or a CRM import does with the file. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  if (cell || row.length) {
    row.push(cell)
    rows.push(row)
  }
  return rows
}

const FAULT_ID = newId()
function call(data: Record<string, unknown>): RecordEnvelope {
  return {
    id: newId(),
    kind: 'callRecord',
    siteId: '0192f0c4-1111-7000-8000-000000000001',
    deviceId: '0192f0c4-2222-7000-8000-000000000002',
    author: '一号台 张三',
    createdAt: '2026-11-28T08:00:00.000Z',
    updatedAt: '2026-11-28T08:00:00.000Z',
    serverSeq: null,
    data: { calledAt: '2026-11-28T08:00:00.000Z', callerPhone: '13800138000', callerPhoneStatus: 'mobile', callerName: '王先生', customerNumber: '', category: 'complaint', request: '', answer: '', priority: 'normal', callbackNeeded: false, callbackNumber: '', callbackTime: '', faultId: FAULT_ID, ...data },
  }
}

const headers = Object.fromEntries(CALL_EXPORT_COLUMNS.map((c) => [c, `列:${c}`])) as Record<CallExportColumn, string>

describe('CSV export for the CRM', () => {
  it('opens with a BOM and the right columns; Chinese text, commas, quotes and line breaks survive', () => {
    const tricky = '宽带断网，要求上门维修, "尽快"\n下午在家'
    const noCallback = call({ request: '咨询账单' })
    const withCallback = call({ request: tricky, answer: '已登记，恢复后回电', callbackNeeded: true, callbackNumber: '010-12345678-801', callbackTime: '下午3点后' })
    const reentered: CallbackEvent = { id: newId(), createdAt: '2026-11-28T10:00:00.000Z', at: '2026-11-28T10:00:00.000Z', author: '李组长', callRecordId: withCallback.id, state: 'reentered', note: '' }
    const rows = [callExportRow({ record: noCallback }), callExportRow({ record: withCallback, callback: deriveCallback([reentered]) })]
    const csv = toCsv(CALL_EXPORT_COLUMNS, headers, rows)

    expect(csv.startsWith(UTF8_BOM)).toBe(true)
    const table = parseCsv(csv.slice(1))
    expect(table).toHaveLength(3)
    expect(table[0]).toEqual(CALL_EXPORT_COLUMNS.map((c) => `列:${c}`))
    for (const line of table) expect(line).toHaveLength(CALL_EXPORT_COLUMNS.length)
    const col = (name: CallExportColumn) => CALL_EXPORT_COLUMNS.indexOf(name)
    expect(table[1]![col('request')]).toBe('咨询账单')
    expect(table[1]![col('callbackState')]).toBe('')
    expect(table[2]![col('request')]).toBe(tricky)
    expect(table[2]![col('callerName')]).toBe('王先生')
    expect(table[2]![col('callbackNumber')]).toBe('010-12345678-801')
    expect(table[2]![col('callbackState')]).toBe('reentered')
    expect(table[2]![col('reenteredBy')]).toBe('李组长')
    expect(table[2]![col('agent')]).toBe('一号台 张三')
  })

  it('calls back the caller phone when no callback number was given', () => {
    const row = callExportRow({ record: call({ request: 'x', callbackNeeded: true }), callback: deriveCallback([]) })
    expect(row.callbackNumber).toBe('13800138000')
    expect(row.callbackState).toBe('toCall')
  })

  it('translates values with the formatter, and keeps formulas from running in a spreadsheet', () => {
    const csv = toCsv(['a', 'b'] as const, { a: '类别', b: '备注' }, [{ a: 'complaint', b: '=HYPERLINK("x")' }], (c, v) => (c === 'a' ? '投诉' : v))
    expect(parseCsv(csv.slice(1))[1]).toEqual(['投诉', `'=HYPERLINK("x")`])
    expect(csvCell('-5')).toBe('-5')
    expect(csvCell('+86 138')).toBe(`'+86 138`)
  })

  it('exports JSON with the outage and each record with its callback state', () => {
    const fault = { ...call({}), kind: 'fault' as const, id: FAULT_ID, data: { system: 'CRM', symptom: '无法登录', scope: 'allSeats', startedAt: '2026-11-28T08:00:00.000Z', seat: '' } }
    const state = deriveFaultState(fault.data, [{ id: newId(), createdAt: '2026-11-28T09:30:00.000Z', author: '李组长', faultId: FAULT_ID, type: 'recovered', at: '2026-11-28T09:30:00.000Z', who: '', note: '' }])
    const record = call({ request: '报修', callbackNeeded: true })
    const json = JSON.parse(outageExportJson({ record: fault, state }, [{ record, callback: deriveCallback([]) }], '2026-11-28T10:00:00.000Z'))
    expect(json.fault).toMatchObject({ id: FAULT_ID, system: 'CRM', recoveredAt: '2026-11-28T09:30:00.000Z', durationMinutes: 90 })
    expect(json.records[0]).toMatchObject({ id: record.id, data: { request: '报修' }, callback: { state: 'toCall', attempts: 0, steps: [] } })
  })
})
