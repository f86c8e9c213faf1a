import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  CLOCK_DUE_SOON_MS,
  deriveIncidentState,
  dueAlarms,
  incidentClocks,
  IncidentEventDataSchema,
  levelStep,
  stepsForVariant,
  tellingSteps,
  type IncidentEvent,
} from '../../src/shared/incident'
import { hlcToString } from '../../src/shared/hlc'
import { PlaybookSchema, type Playbook, type PlaybookInput } from '../../src/shared/playbook'
import { SHIPPED_PLAYBOOKS } from '../../src/shared/playbooks'

const t = (zh: string, en: string) => ({ 'zh-CN': zh, en })
const START = Date.parse('2026-11-28T06:00:00.000Z')
const min = (n: number) => START + n * 60_000
const iso = (ms: number) => new Date(ms).toISOString()

/** A C2-like plan: report within 5 min, escalate after 10 and 60 min, a surge-like level pair. */
function plan(): Playbook {
  const input: PlaybookInput = {
    id: 'test-plan',
    version: 1,
    category: 'callCenter',
    title: t('测试预案', 'Test plan'),
    summary: t('摘要', 'Summary'),
    trigger: t('触发', 'Trigger'),
    keywords: { 'zh-CN': ['测试'], en: ['test'] },
    roles: ['shiftLeader', 'opsSpecialist', 'agent'],
    levels: [
      { id: 'level-1', level: 1, title: t('一级', 'Level 1'), text: t('全员接听', 'All answer') },
      {
        id: 'level-2',
        level: 2,
        title: t('二级', 'Level 2'),
        text: t('调备班', 'Call standby'),
        deadline: { minutes: 30, from: { type: 'level', levelId: 'level-1' }, kind: 'escalateAfter', label: t('30分钟', '30 min') },
      },
    ],
    variants: [
      { id: 'mains', title: t('市电', 'Mains') },
      { id: 'line', title: t('线路', 'Line') },
    ],
    steps: [
      { id: 'report', role: 'shiftLeader', text: t('报告主管', 'Report'), deadline: { minutes: 5, from: { type: 'incidentStart' }, kind: 'within', label: t('5分钟内', 'Within 5 min') } },
      { id: 'escalate', role: 'opsSpecialist', text: t('通知经理', 'Tell manager'), deadline: { minutes: 10, from: { type: 'incidentStart' }, kind: 'escalateAfter', label: t('10分钟后', 'After 10 min') } },
      { id: 'follow', role: 'agent', text: t('跟进', 'Follow up'), deadline: { minutes: 3, from: { type: 'step', stepId: 'report' }, kind: 'within', label: t('报告后3分钟', '3 min after report') } },
      { id: 'mains-only', role: 'agent', text: t('关空调', 'AC off'), variantIds: ['mains'] },
      { id: 'line-only', role: 'agent', text: t('报修', 'Repair'), variantIds: ['line'] },
    ],
    records: ['incidentReport'],
  }
  return PlaybookSchema.parse(input)
}

let seq = 0
function event(type: IncidentEvent['type'], atMs: number, extra: Partial<IncidentEvent> = {}, node = 'dev-a'): IncidentEvent {
  seq += 1
  return {
    id: `e${String(seq).padStart(4, '0')}`,
    incidentId: '0192f0c4-1111-7000-8000-000000000001',
    type,
    at: iso(atMs),
    hlc: hlcToString({ millis: atMs, counter: 0, node }),
    author: node === 'dev-a' ? '张三' : '李四',
    deviceId: node,
    ...extra,
  }
}

describe('incident events', () => {
  it('validates what each event type needs', () => {
    const base = { incidentId: '0192f0c4-1111-7000-8000-000000000001', hlc: hlcToString({ millis: 1, counter: 0, node: 'a' }), at: iso(START) }
    expect(IncidentEventDataSchema.safeParse({ ...base, type: 'tick', stepId: 'report' }).success).toBe(true)
    expect(IncidentEventDataSchema.safeParse({ ...base, type: 'tick' }).success).toBe(false)
    expect(IncidentEventDataSchema.safeParse({ ...base, type: 'alarmAck' }).success).toBe(false)
    expect(IncidentEventDataSchema.safeParse({ ...base, type: 'note', note: '已通知' }).success).toBe(true)
    expect(IncidentEventDataSchema.safeParse({ ...base, type: 'tick', stepId: 'x', hlc: 'yesterday' }).success).toBe(false)
    // a tick recorded after the fact: done earlier than recorded, never later, and only a tick
    const earlier = iso(START - 7 * 60_000)
    expect(IncidentEventDataSchema.safeParse({ ...base, type: 'tick', stepId: 'report', doneAt: earlier, note: '电话通知王主管' }).success).toBe(true)
    expect(IncidentEventDataSchema.safeParse({ ...base, type: 'tick', stepId: 'report', doneAt: iso(START + 60_000) }).success).toBe(false)
    expect(IncidentEventDataSchema.safeParse({ ...base, type: 'untick', stepId: 'report', doneAt: earlier }).success).toBe(false)
    // a level started by such a tick carries the same time
    expect(IncidentEventDataSchema.safeParse({ ...base, type: 'levelStart', levelId: 'level-1', doneAt: earlier }).success).toBe(true)
    expect(IncidentEventDataSchema.safeParse({ ...base, type: 'levelStart', levelId: 'level-1', doneAt: iso(START + 60_000) }).success).toBe(false)
  })

  it('starts a level at its earliest start, whichever tablet recorded it and in whatever order', () => {
    const events = [
      // tablet B pressed "start level 1" at minute 6 …
      event('levelStart', min(6), { levelId: 'level-1' }, 'dev-b'),
      // … tablet A, offline, ticked the step at minute 9 saying it was done at minute 4
      event('tick', min(9), { stepId: 'report', doneAt: iso(min(4)) }),
      event('levelStart', min(9), { levelId: 'level-1', doneAt: iso(min(4)) }),
      // a second start of an already started level changes nothing
      event('levelStart', min(12), { levelId: 'level-1' }, 'dev-b'),
    ]
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), (shuffled) => {
        expect(deriveIncidentState(shuffled).levels.get('level-1')).toEqual({ at: iso(min(4)), by: '张三' })
      }),
    )
    // an untick does not stop a level: there is no event that could
    const unticked = deriveIncidentState([...events, event('untick', min(13), { stepId: 'report' })])
    expect(unticked.levels.get('level-1')).toEqual({ at: iso(min(4)), by: '张三' })
    expect(unticked.steps.get('report')).toEqual({ done: false })
  })

  it('merges two tablets into the same state whatever order the events arrive in', () => {
    const events = [
      event('tick', min(1), { stepId: 'report' }),
      event('tick', min(2), { stepId: 'follow' }, 'dev-b'),
      event('untick', min(3), { stepId: 'follow' }),
      event('tick', min(3), { stepId: 'escalate' }, 'dev-b'),
      event('levelStart', min(4), { levelId: 'level-1' }, 'dev-b'),
      event('alarmAck', min(6), { alarmKey: 'step:escalate' }),
      event('note', min(7), { note: '供应商已到场' }, 'dev-b'),
    ]
    const expected = deriveIncidentState(events)
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), (shuffled) => {
        const state = deriveIncidentState(shuffled)
        expect(state.timeline.map((e) => e.id)).toEqual(expected.timeline.map((e) => e.id))
        expect([...state.steps]).toEqual([...expected.steps])
        expect([...state.levels]).toEqual([...expected.levels])
        expect([...state.acknowledged]).toEqual([...expected.acknowledged])
      }),
    )
    expect(expected.steps.get('report')).toEqual({ done: true, at: iso(min(1)), by: '张三' })
    expect(expected.steps.get('follow')).toEqual({ done: false })
    expect(expected.steps.get('escalate')).toMatchObject({ done: true, by: '李四' })
  })

  it('shows the chosen branch and the common steps only', () => {
    expect(stepsForVariant(plan(), 'mains').map((s) => s.id)).toEqual(['report', 'escalate', 'follow', 'mains-only'])
    expect(stepsForVariant(plan(), 'line').map((s) => s.id)).toEqual(['report', 'escalate', 'follow', 'line-only'])
  })
})

describe('escalation clocks', () => {
  const incident = { startedAt: iso(START), variantId: 'mains' }
  const clocksAt = (now: number, events: IncidentEvent[] = []) =>
    Object.fromEntries(incidentClocks(plan(), incident, deriveIncidentState(events), now).map((c) => [c.key, c]))

  it('counts down before the deadline, warns just before it, and alarms at it', () => {
    expect(clocksAt(min(0))['step:report']).toMatchObject({ status: 'running', remainingMs: 5 * 60_000 })
    expect(clocksAt(min(2.5))['step:report']).toMatchObject({ status: 'running', remainingMs: 150_000 })
    expect(clocksAt(min(3.5))['step:report']?.status).toBe('dueSoon')
    expect(clocksAt(min(5) - 1)['step:report']?.status).toBe('dueSoon')
    expect(clocksAt(min(5))['step:report']).toMatchObject({ status: 'overdue', remainingMs: 0 })
    expect(clocksAt(min(12))['step:report']).toMatchObject({ status: 'overdue', remainingMs: -7 * 60_000 })
    expect(clocksAt(min(7.5))['step:escalate']?.status).toBe('running')
    expect(clocksAt(min(9))['step:escalate']?.status).toBe('dueSoon')
    expect(clocksAt(min(10))['step:escalate']?.status).toBe('overdue')
  })

  it('is done when ticked in time, done late when after', () => {
    expect(clocksAt(min(20), [event('tick', min(4), { stepId: 'report' })])['step:report']?.status).toBe('done')
    expect(clocksAt(min(20), [event('tick', min(6), { stepId: 'report' })])['step:report']?.status).toBe('doneLate')
  })

  it('starts a step-anchored clock only when that step is ticked', () => {
    expect(clocksAt(min(30))['step:follow']?.status).toBe('waiting')
    const ticked = [event('tick', min(2), { stepId: 'report' })]
    expect(clocksAt(min(2.5), ticked)['step:follow']).toMatchObject({ status: 'running', dueAt: min(5) })
    expect(clocksAt(min(5), ticked)['step:follow']?.status).toBe('overdue')
  })

  it('runs a level clock from the previous level, and stops when the next level starts', () => {
    expect(clocksAt(min(100))['level:level-2']?.status).toBe('waiting')
    const level1 = [event('levelStart', min(10), { levelId: 'level-1' })]
    expect(clocksAt(min(39), level1)['level:level-2']?.status).toBe('dueSoon')
    expect(clocksAt(min(40), level1)['level:level-2']?.status).toBe('overdue')
    const level2 = [...level1, event('levelStart', min(35), { levelId: 'level-2' })]
    expect(clocksAt(min(50), level2)['level:level-2']?.status).toBe('done')
  })

  it('does not need an escalation when the incident closed before it', () => {
    const closed = [event('close', min(8))]
    expect(clocksAt(min(30), closed)['step:escalate']?.status).toBe('notNeeded')
  })

  it('judges a step by the time it was really done, when a person corrected it', () => {
    // told the supervisor at minute 4, ticked at minute 7: in time, and the tick time is kept too
    const told = [event('tick', min(7), { stepId: 'report', doneAt: iso(min(4)), note: '电话' })]
    expect(clocksAt(min(20), told)['step:report']?.status).toBe('done')
    expect(deriveIncidentState(told).steps.get('report')).toEqual({ done: true, at: iso(min(4)), by: '张三', recordedAt: iso(min(7)), note: '电话' })
    // told at minute 6: late, even if ticked right away
    expect(clocksAt(min(20), [event('tick', min(6), { stepId: 'report', doneAt: iso(min(6)) })])['step:report']?.status).toBe('doneLate')
    // a clock anchored on the step starts when it was done
    expect(clocksAt(min(7.5), told)['step:follow']).toMatchObject({ status: 'overdue', dueAt: min(7) })
  })

  it('does not need an escalation when the outage ended before it (its faults recovered)', () => {
    const clocks = Object.fromEntries(
      incidentClocks(plan(), incident, deriveIncidentState([]), min(30), { endedAt: iso(min(8)) }).map((c) => [c.key, c]),
    )
    expect(clocks['step:escalate']?.status).toBe('notNeeded')
    // a "within" deadline is still owed: the supervisor should have been told within 5 minutes
    expect(clocks['step:report']?.status).toBe('overdue')
    const late = incidentClocks(plan(), incident, deriveIncidentState([]), min(30), { endedAt: iso(min(12)) })
    expect(late.find((c) => c.key === 'step:escalate')?.status).toBe('overdue')
  })

  it('names the steps that tell someone or run against a clock', () => {
    expect(tellingSteps(plan(), 'mains').map((s) => s.id)).toEqual(['report', 'escalate', 'follow'])
  })

  it('lists overdue alarms until a person acknowledges them', () => {
    const overdue = incidentClocks(plan(), incident, deriveIncidentState([]), min(11))
    expect(dueAlarms(overdue).map((c) => c.key)).toEqual(['step:report', 'step:escalate'])
    const acked = deriveIncidentState([event('alarmAck', min(11), { alarmKey: 'step:report' })])
    expect(dueAlarms(incidentClocks(plan(), incident, acked, min(11))).map((c) => c.key)).toEqual(['step:escalate'])
  })
})

/** The shipped plans, as the app runs them. */
function shipped(id: string): Playbook {
  return PlaybookSchema.parse(SHIPPED_PLAYBOOKS.find((p) => p.id === id))
}

describe('escalation clocks of the shipped plans', () => {
  const incident = { startedAt: iso(START) }
  const status = (playbookId: string, key: string, now: number, events: IncidentEvent[] = []) =>
    incidentClocks(shipped(playbookId), incident, deriveIncidentState(events), now).find((c) => c.key === key)
  /** At, just before and just after a deadline `dueAt`: still counting, overdue, overdue. */
  const aroundDeadline = (playbookId: string, key: string, dueAt: number, events: IncidentEvent[] = []) => {
    expect(status(playbookId, key, dueAt - CLOCK_DUE_SOON_MS - 1_000, events)).toMatchObject({ status: 'running', dueAt })
    expect(status(playbookId, key, dueAt - 1_000, events)).toMatchObject({ status: 'dueSoon', remainingMs: 1_000 })
    expect(status(playbookId, key, dueAt, events)).toMatchObject({ status: 'overdue', remainingMs: 0 })
    expect(status(playbookId, key, dueAt + 1_000, events)).toMatchObject({ status: 'overdue', remainingMs: -1_000 })
  }

  it('C2: the supervisor within 5 min; ops supervisor and center manager at 10; the vendor at 60', () => {
    const c2 = shipped('C2')
    expect(incidentClocks(c2, incident, deriveIncidentState([]), START).map((c) => [c.key, c.deadline.kind, c.dueAt])).toEqual([
      ['step:report-supervisor', 'within', min(5)],
      ['step:notify-operations-supervisor', 'escalateAfter', min(10)],
      ['step:notify-center-manager', 'escalateAfter', min(10)],
      ['step:consider-vendor', 'escalateAfter', min(60)],
    ])
    aroundDeadline('C2', 'step:report-supervisor', min(5))
    aroundDeadline('C2', 'step:notify-operations-supervisor', min(10))
    aroundDeadline('C2', 'step:notify-center-manager', min(10))
    aroundDeadline('C2', 'step:consider-vendor', min(60))
    // reported a second before the deadline: in time; a second after: late
    expect(status('C2', 'step:report-supervisor', min(20), [event('tick', min(5) - 1_000, { stepId: 'report-supervisor' })])?.status).toBe('done')
    expect(status('C2', 'step:report-supervisor', min(20), [event('tick', min(5) + 1_000, { stepId: 'report-supervisor' })])?.status).toBe('doneLate')
    // fixed (closed) at minute 59: the vendor was not needed; at minute 61 it was
    expect(status('C2', 'step:consider-vendor', min(90), [event('close', min(59))])?.status).toBe('notNeeded')
    expect(status('C2', 'step:consider-vendor', min(90), [event('close', min(61))])?.status).toBe('overdue')
  })

  it('C6: the answer-rate assessment within 10 min', () => {
    aroundDeadline('C6', 'step:assess-answer-rate', min(10))
    expect(status('C6', 'step:assess-answer-rate', min(30), [event('tick', min(10), { stepId: 'assess-answer-rate' })])?.status).toBe('done')
    expect(status('C6', 'step:assess-answer-rate', min(30), [event('tick', min(10) + 1_000, { stepId: 'assess-answer-rate' })])?.status).toBe('doneLate')
  })

  it('C8: level 2 is due 30 min after level 1, level 3 30 min after level 2, each counted from its start', () => {
    const c8 = shipped('C8')
    // every level has a step that starts it (ticking it records the level's start)
    expect(['level-1', 'level-2', 'level-3'].map((l) => levelStep(c8, undefined, l)?.id)).toEqual([
      'level-1-all-agents',
      'level-2-standby-staff',
      'level-3-functional-staff',
    ])
    // nothing counts before level 1
    expect(status('C8', 'level:level-2', min(120))?.status).toBe('waiting')
    expect(status('C8', 'level:level-3', min(120))?.status).toBe('waiting')

    const level1 = [event('tick', min(3), { stepId: 'level-1-all-agents' }), event('levelStart', min(3), { levelId: 'level-1' })]
    aroundDeadline('C8', 'level:level-2', min(33), level1)
    expect(status('C8', 'level:level-3', min(120), level1)?.status).toBe('waiting')

    // level 2 started at minute 40 (late); level 3 falls due at minute 70
    const level2 = [...level1, event('tick', min(40), { stepId: 'level-2-standby-staff' }), event('levelStart', min(40), { levelId: 'level-2' })]
    expect(status('C8', 'level:level-2', min(41), level2)?.status).toBe('doneLate')
    aroundDeadline('C8', 'level:level-3', min(70), level2)
    // under control (closed) a second before level 3 was due: not needed
    expect(status('C8', 'level:level-3', min(90), [...level2, event('close', min(70) - 1_000)])?.status).toBe('notNeeded')
  })
})
