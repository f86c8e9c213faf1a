import type { Role } from './people'
import type { RecordKind } from './records'

const ALL: readonly Role[] = ['agent', 'shiftLeader', 'supervisor', 'security', 'opsSpecialist', 'centerManager', 'admin']
/** People who lead the floor in an incident: they start incidents and record faults. */
const LEADS: readonly Role[] = ['shiftLeader', 'supervisor', 'security', 'opsSpecialist', 'centerManager']
/** People who own the plans, the contacts and the reviews. */
const SUPERVISORS: readonly Role[] = ['supervisor', 'centerManager']
const NOBODY: readonly Role[] = []

/**
 * Who may create each kind of record from a tablet. The server refuses a record whose person is
 * not allowed (a rejection with its reason, like any other), the tablet hides what the signed-in
 * person may not do. `person` and `siteSettings` are written by the server's admin API only.
 * Adding a kind to RECORD_DATA_SCHEMAS without a line here is a type error, on purpose.
 */
export const KIND_ROLES: Record<RecordKind, readonly Role[]> = {
  callRecord: ALL,
  callbackEvent: ALL,
  logEntry: ALL,
  // Anyone may meet a reporter at the door; what they may say is limited by the wordings, not the role.
  mediaContact: ALL,
  // The agreed wordings are the superiors' word (plans H10, C9).
  mediaWording: SUPERVISORS,
  // The roll-call is only ever opened from an incident, which a lead has started. Starting it is
  // open to every role on purpose: at the assembly point the tablet may be in any staff member's
  // hand, and a refused start would leave the marks made under it without their roll-call on the
  // other tablets. Marking is for everyone (plan H4: all staff evacuate and count).
  rollCall: ALL,
  rollCallMark: ALL,
  // Lost property (plan H9) is everyday hall work: whoever is at the counter registers a found item,
  // counts it as one of the two witnesses, and hands it back against the claimant's signature. The
  // two witnesses' and the claimant's signatures are the safeguard, not the role; the hall's tablet
  // may be in any staff member's hand (roster roles do not separate hall staff from the hall head).
  lostItem: ALL,
  lostItemEvent: ALL,
  incidentEvent: ALL,
  incident: LEADS,
  fault: LEADS,
  faultEvent: LEADS,
  incidentReport: ['shiftLeader', ...SUPERVISORS],
  drillRecord: ['shiftLeader', ...SUPERVISORS],
  incidentReview: SUPERVISORS,
  rectificationDone: ['shiftLeader', ...SUPERVISORS],
  playbook: SUPERVISORS,
  contact: SUPERVISORS,
  person: NOBODY,
  siteSettings: NOBODY,
}

export function canCreate(role: Role, kind: RecordKind): boolean {
  return KIND_ROLES[kind].includes(role)
}

/** What a person may do on the central console and the admin API. */
export const CONSOLE_ROLES: readonly Role[] = ['supervisor', 'centerManager', 'admin']
export const ADMIN_ROLES: readonly Role[] = ['admin']
/** Roles whose console view covers every site, not only their own and the ones they manage. */
export const ALL_SITES_ROLES: readonly Role[] = ['centerManager', 'admin']
