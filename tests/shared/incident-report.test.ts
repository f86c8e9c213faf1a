import { describe, expect, it } from 'vitest'
import { deriveIncidentState, incidentClocks, type IncidentEvent } from '../../src/shared/incident'
import { DrillRecordDataSchema, drillOnTime, drillStepTimes } from '../../src/shared/incident-report'
import { hlcToString } from '../../src/shared/hlc'
import { PlaybookSchema, type Playbook } from '../../src/shared/playbook'
import { SHIPPED_PLAYBOOKS } from '../../src/shared/playbooks'

const START = Date.parse('2026-11-28T06:00:00.000Z')
const min = (n: number) => START + n * 60_000
const iso = (ms: number) => new Date(ms).toISOString()
const INCIDENT = '0192f0c4-1111-7000-8000-000000000001'

let seq = 0
function event(type: IncidentEvent['type'], atMs: number, extra: Partial<IncidentEvent> = {}): IncidentEvent {
  seq += 1
  return { id: `e${String(seq).padStart(4, '0')}`, incidentId: INCIDENT, type, at: iso(atMs), hlc: hlcToString({ millis: atMs, counter: seq, node: 'dev-a' }), author: '张三', deviceId: 'dev-a', ...extra }
}

const shipped = (id: string): Playbook => PlaybookSchema.parse(SHIPPED_PLAYBOOKS.find((p) => p.id === id))

/** The drill record's rows when it is made at `now`, by step (or level) id. */
function recordAt(playbook: Playbook, events: IncidentEvent[], now: number) {
  const state = deriveIncidentState(events)
  const rows = drillStepTimes(playbook, undefined, state, incidentClocks(playbook, { startedAt: iso(START) }, state, now))
  return { rows, byId: new Map(rows.map((r) => [r.stepId ?? r.levelId, r])) }
}

describe('the drill record: each step against its deadline', () => {
  // A C2 drill: the supervisor told at minute 4 (typed in at minute 7), the operations supervisor
  // at minute 12, the floor organised; the center manager never told.
  const timeline = [
    event('tick', min(7), { stepId: 'report-supervisor', doneAt: iso(min(4)) }),
    event('tick', min(8), { stepId: 'organise-floor' }),
    event('tick', min(12), { stepId: 'notify-operations-supervisor' }),
  ]

  it('keeps on time, late by how much, not done and not due yet, from the timeline', () => {
    const { rows, byId } = recordAt(shipped('C2'), timeline, min(15))
    expect(byId.get('report-supervisor')).toMatchObject({
      text: { 'zh-CN': '上报呼叫中心主管' },
      deadline: { minutes: 5, kind: 'within', dueAt: iso(min(5)), label: { 'zh-CN': '5分钟内上报主管' } },
      doneAt: iso(min(4)),
      outcome: 'onTime',
    })
    expect(byId.get('notify-operations-supervisor')).toMatchObject({ doneAt: iso(min(12)), outcome: 'late', lateMs: 2 * 60_000, deadline: { dueAt: iso(min(10)) } })
    expect(byId.get('notify-center-manager')).toMatchObject({ doneAt: null, outcome: 'notDone', deadline: { dueAt: iso(min(10)) } })
    expect(byId.get('consider-vendor')).toMatchObject({ doneAt: null, outcome: 'notDue', deadline: { dueAt: iso(min(60)) } })
    // steps with no deadline: done or not
    expect(byId.get('organise-floor')).toMatchObject({ deadline: null, doneAt: iso(min(8)), outcome: 'done' })
    expect(byId.get('answer-from-documents')).toMatchObject({ deadline: null, doneAt: null, outcome: 'notDone' })
    // every step of the plan, in its order
    expect(rows.map((r) => r.stepId)).toEqual(shipped('C2').steps.map((s) => s.id))
    expect(drillOnTime(rows)).toEqual({ onTime: 1, timed: 3 })
    // what the form stores passes the record's own schema
    const record = DrillRecordDataSchema.parse({ incidentId: INCIDENT, participants: ['张三'], evaluation: '基本按时', rating: 'adequate', stepTimes: rows })
    expect(record.stepTimes).toEqual(rows)
  })

  it('does not count an escalation the drill ended before', () => {
    const { byId } = recordAt(shipped('C2'), [...timeline, event('close', min(20))], min(25))
    expect(byId.get('consider-vendor')).toMatchObject({ outcome: 'notNeeded', doneAt: null })
    expect(byId.get('notify-center-manager')?.outcome).toBe('notDone')
  })

  it('judges the step that starts a level by the level clock (C8)', () => {
    const events = [
      event('tick', min(1), { stepId: 'level-1-all-agents' }),
      event('levelStart', min(1), { levelId: 'level-1' }),
      event('tick', min(35), { stepId: 'level-2-standby-staff' }),
      event('levelStart', min(35), { levelId: 'level-2' }),
    ]
    const { rows, byId } = recordAt(shipped('C8'), events, min(50))
    expect(byId.get('level-1-all-agents')).toMatchObject({ deadline: null, doneAt: iso(min(1)), outcome: 'done' })
    expect(byId.get('level-2-standby-staff')).toMatchObject({ deadline: { minutes: 30, dueAt: iso(min(31)) }, doneAt: iso(min(35)), outcome: 'late', lateMs: 4 * 60_000 })
    expect(byId.get('level-3-functional-staff')).toMatchObject({ deadline: { dueAt: iso(min(65)) }, doneAt: null, outcome: 'notDue' })
    // the levels' clocks are carried by their steps: no rows of their own
    expect(rows.map((r) => r.stepId ?? `level:${r.levelId}`)).toEqual(['level-1-all-agents', 'level-2-standby-staff', 'level-3-functional-staff'])
  })

  it('refuses a record whose step times are malformed', () => {
    const base = { incidentId: INCIDENT, participants: ['张三'], evaluation: '好', rating: 'good' }
    expect(DrillRecordDataSchema.safeParse(base).success).toBe(true) // records made before steps were timed
    const row = { stepId: 'x', text: { 'zh-CN': '步骤', en: 'Step' }, deadline: null, doneAt: null, outcome: 'onTime' }
    expect(DrillRecordDataSchema.safeParse({ ...base, stepTimes: [row] }).success).toBe(true)
    expect(DrillRecordDataSchema.safeParse({ ...base, stepTimes: [{ ...row, outcome: 'early' }] }).success).toBe(false)
    expect(DrillRecordDataSchema.safeParse({ ...base, stepTimes: [{ ...row, lateMs: -1 }] }).success).toBe(false)
  })
})
