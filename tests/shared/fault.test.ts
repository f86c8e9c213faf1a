import { describe, expect, it } from 'vitest'
import {
  deriveFaultState,
  notifyAlarms,
  notifyStatus,
  outageEndedAt,
  suggestedFaultScopes,
  type FaultEvent,
  type FaultEventData,
} from '../../src/shared/fault'
import { newId } from '../../src/shared/ids'
import { parseRecord } from '../../src/shared/records'

const START = '2026-11-28T08:00:00.000Z'
const FAULT = { scope: 'application' as const, startedAt: START }
const min = (m: number) => new Date(Date.parse(START) + m * 60_000).toISOString()
let n = 0
function event(type: FaultEventData['type'], minute: number, extra: Partial<FaultEventData> = {}): FaultEvent {
  return { id: `e${String(++n).padStart(4, '0')}`, createdAt: min(minute), author: '李组长', faultId: newId(), type, at: min(minute), who: '', note: '', ...extra }
}

describe('fault state', () => {
  it('is recovered by a recovery event, with its duration, and open again after a reopen', () => {
    const recovered = deriveFaultState(FAULT, [event('action', 3, { note: '重启网关' }), event('recovered', 42)])
    expect(recovered).toMatchObject({ recovered: true, recoveredAt: min(42), recoveredBy: '李组长', durationMs: 42 * 60_000 })
    expect(recovered.actions).toHaveLength(1)
    const again = deriveFaultState(FAULT, [event('recovered', 42), event('reopened', 50)])
    expect(again.recovered).toBe(false)
    expect(again.durationMs).toBeUndefined()
  })

  it('follows the C2 deadlines for telling people: 5, 10 and 60 minutes', () => {
    const state = deriveFaultState(FAULT, [event('notified', 1, { role: 'opsSpecialist', who: '小周' })])
    const at = (m: number) => Object.fromEntries(notifyStatus(FAULT, state, Date.parse(min(m))).map((i) => [i.role, i.status]))
    expect(at(2)).toEqual({ opsSpecialist: 'done', supervisor: 'pending', opsSupervisor: 'pending', centerManager: 'pending', vendor: 'pending' })
    expect(at(4)).toMatchObject({ supervisor: 'dueSoon' })
    expect(at(11)).toMatchObject({ supervisor: 'overdue', opsSupervisor: 'overdue', centerManager: 'overdue', vendor: 'pending' })
    // Recovered at minute 8: the 10- and 60-minute notifications are no longer owed.
    const recovered = deriveFaultState(FAULT, [event('recovered', 8)])
    const after = Object.fromEntries(notifyStatus(FAULT, recovered, Date.parse(min(30))).map((i) => [i.role, i.status]))
    expect(after).toMatchObject({ supervisor: 'overdue', opsSupervisor: 'notNeeded', vendor: 'notNeeded' })
  })

  it('gives "at once" a short grace before it shows as overdue', () => {
    const state = deriveFaultState(FAULT, [])
    const ops = (m: number) => notifyStatus(FAULT, state, Date.parse(min(m))).find((i) => i.role === 'opsSpecialist')?.status
    expect(ops(0)).toBe('dueSoon')
    expect(ops(1)).toBe('dueSoon')
    expect(ops(3)).toBe('overdue')
  })

  it('judges a notification by the time the person was told, corrected or not', () => {
    const status = (events: FaultEvent[], role = 'supervisor') =>
      notifyStatus(FAULT, deriveFaultState(FAULT, events), Date.parse(min(20))).find((i) => i.role === role)?.status
    // told at 10:04 (minute 4), recorded at minute 8: in time
    expect(status([event('notified', 8, { role: 'supervisor', at: min(4) })])).toBe('done')
    expect(status([event('notified', 8, { role: 'supervisor' })])).toBe('doneLate')
    // two tablets both recorded it: the earliest time told counts
    expect(status([event('notified', 9, { role: 'supervisor' }), event('notified', 10, { role: 'supervisor', at: min(3) })])).toBe('done')
    // "at once" has its grace: told at minute 1 is in time, at minute 5 late
    expect(status([event('notified', 1, { role: 'opsSpecialist' })], 'opsSpecialist')).toBe('done')
    expect(status([event('notified', 5, { role: 'opsSpecialist' })], 'opsSpecialist')).toBe('doneLate')
  })

  it('alarms for an overdue notification until a person acknowledges it', () => {
    const alarms = (events: FaultEvent[]) => notifyAlarms(notifyStatus(FAULT, deriveFaultState(FAULT, events), Date.parse(min(6)))).map((i) => i.role)
    expect(alarms([])).toEqual(['opsSpecialist', 'supervisor'])
    expect(alarms([event('alarmAck', 6, { role: 'supervisor' })])).toEqual(['opsSpecialist'])
    expect(alarms([event('notified', 1, { role: 'opsSpecialist' }), event('notified', 6, { role: 'supervisor' })])).toEqual([])
  })

  it('ends an outage when every fault of it has recovered, at the last recovery', () => {
    const up = deriveFaultState(FAULT, [event('recovered', 8)])
    const later = deriveFaultState(FAULT, [event('recovered', 12)])
    const down = deriveFaultState(FAULT, [])
    expect(outageEndedAt([up, later])).toBe(min(12))
    expect(outageEndedAt([up, down])).toBeUndefined()
    expect(outageEndedAt([])).toBeUndefined()
  })

  it('suggests the scope of a fault from the plan it is recorded from', () => {
    expect(suggestedFaultScopes('C1')).toEqual(['seat'])
    expect(suggestedFaultScopes('C2')[0]).toBe('application')
    expect(suggestedFaultScopes('C3')).toEqual(['power'])
    expect(suggestedFaultScopes('complaint-escalation')).toEqual([])
  })

  it('asks for the shift leader and the ops specialist for a one-seat fault (C1), with no deadline', () => {
    const items = notifyStatus({ scope: 'seat', startedAt: START }, deriveFaultState(FAULT, []), Date.parse(min(1)))
    expect(items.map((i) => i.role)).toEqual(['shiftLeader', 'opsSpecialist'])
  })
})

describe('outage desk records on the wire', () => {
  const envelope = (kind: string, data: Record<string, unknown>) => ({
    id: newId(),
    kind,
    siteId: '0192f0c4-1111-7000-8000-000000000001',
    deviceId: '0192f0c4-2222-7000-8000-000000000002',
    author: '张三',
    createdAt: START,
    updatedAt: START,
    serverSeq: null,
    data,
  })

  it('accepts a fault, its events, callback steps and log lines', () => {
    const faultId = newId()
    for (const [kind, data] of [
      ['fault', { system: 'CRM', symptom: '全部座席无法登录', scope: 'allSeats', startedAt: START, incidentId: newId() }],
      ['faultEvent', { faultId, type: 'notified', role: 'supervisor', at: START }],
      ['faultEvent', { faultId, type: 'spareSeat', who: 'B-12', at: START }],
      ['callbackEvent', { callRecordId: newId(), state: 'noAnswer', at: START }],
      ['logEntry', { log: 'leader', type: 'staff', text: '座席 A-3 改用备用座席 B-12', at: START, faultId }],
    ] as const) {
      const parsed = parseRecord(envelope(kind, data))
      expect(parsed.success, `${kind}: ${'message' in parsed ? parsed.message : ''}`).toBe(true)
    }
  })

  it('refuses events that are missing what their type needs, and unknown states', () => {
    const faultId = newId()
    expect(parseRecord(envelope('faultEvent', { faultId, type: 'notified', at: START })).success).toBe(false)
    expect(parseRecord(envelope('faultEvent', { faultId, type: 'action', at: START })).success).toBe(false)
    expect(parseRecord(envelope('faultEvent', { faultId, type: 'alarmAck', at: START })).success).toBe(false)
    expect(parseRecord(envelope('faultEvent', { faultId, type: 'alarmAck', role: 'supervisor', at: START })).success).toBe(true)
    expect(parseRecord(envelope('callbackEvent', { callRecordId: newId(), state: 'done', at: START })).success).toBe(false)
    expect(parseRecord(envelope('fault', { system: 'CRM', symptom: 'x', scope: 'building', startedAt: START })).success).toBe(false)
  })

  it('takes a call record saved with an unverified number, but never one claimed valid that is not', () => {
    const call = { calledAt: START, callerPhone: '12345', callerName: '', request: '报修', callbackNeeded: true, callbackNumber: '' }
    expect(parseRecord(envelope('callRecord', { ...call, callerPhoneStatus: 'unverified' })).success).toBe(true)
    expect(parseRecord(envelope('callRecord', { ...call, callerPhoneStatus: 'mobile' })).success).toBe(false)
    // A withheld number cannot be called back: a callback then needs its own number.
    expect(parseRecord(envelope('callRecord', { ...call, callerPhone: '', callerPhoneStatus: 'withheld' })).success).toBe(false)
  })
})
