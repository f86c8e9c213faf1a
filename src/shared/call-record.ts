import { z } from 'zod'
import { UUID_RE } from './ids'
import { checkPhone, PHONE_STATUSES } from './phone'

export const CALL_CATEGORIES = ['inquiry', 'complaint', 'faultReport', 'businessRequest', 'other'] as const
export type CallCategory = (typeof CALL_CATEGORIES)[number]
export const CALL_PRIORITIES = ['normal', 'high', 'urgent'] as const
export type CallPriority = (typeof CALL_PRIORITIES)[number]

const phoneStatus = z.enum(PHONE_STATUSES)

/**
 * A manual call record (手工记录表): what an agent writes down for each call while the CRM or the
 * network is down (plans C2 and C7). Fields added after the first version are optional (never a
 * default: the server stores what the tablet sent, so a pulled copy equals the local one), and
 * records made by older versions of the app stay valid; the form always fills them. The agent is the record's
 * `author`. A call record is never edited: its callback's progress is a series of `callbackEvent`s.
 */
export const CallRecordDataSchema = z
  .object({
    /** When the call came in (ISO 8601), editable because agents often log a call after it ended. */
    calledAt: z.iso.datetime({ offset: true }),
    callerPhone: z.string().trim().max(40),
    /** What the number was found to be when saved; `unverified` numbers are kept as typed. */
    callerPhoneStatus: phoneStatus.optional(),
    callerName: z.string().trim().max(100),
    /** Customer or account number, when the caller knows it. */
    customerNumber: z.string().trim().max(60).optional(),
    category: z.enum(CALL_CATEGORIES).optional(),
    request: z.string().trim().min(1).max(4000),
    /** The answer given on the phone (from the documentation, or the agreed wording). */
    answer: z.string().trim().max(4000).optional(),
    priority: z.enum(CALL_PRIORITIES).optional(),
    callbackNeeded: z.boolean(),
    callbackNumber: z.string().trim().max(40).default(''),
    callbackNumberStatus: phoneStatus.optional(),
    /** When the customer prefers to be called back, as they said it ("after 3 pm", "tomorrow morning"). */
    callbackTime: z.string().trim().max(100).optional(),
    /** The outage (a `fault` record) this call was taken during. */
    faultId: z.string().regex(UUID_RE).optional(),
  })
  .superRefine((data, ctx) => {
    const callerReachable = data.callerPhone.length > 0 && data.callerPhoneStatus !== 'withheld'
    if (data.callbackNeeded && data.callbackNumber.length === 0 && !callerReachable) {
      ctx.addIssue({
        code: 'custom',
        path: ['callbackNumber'],
        message: 'callback_number_required',
      })
    }
    // A number may be saved unverified, but never claimed verified when it is not.
    for (const [field, statusField] of [['callerPhone', 'callerPhoneStatus'], ['callbackNumber', 'callbackNumberStatus']] as const) {
      const status = data[statusField]
      if ((status === 'mobile' || status === 'landline') && checkPhone(data[field]).status !== status) {
        ctx.addIssue({ code: 'custom', path: [statusField], message: `${field} is not a valid ${status} number` })
      }
    }
  })

export type CallRecordData = z.infer<typeof CallRecordDataSchema>

/** The number to call back: the one the customer gave, else the number they called from. */
export function callbackNumberOf(data: Pick<CallRecordData, 'callbackNumber' | 'callerPhone'>): string {
  return data.callbackNumber || data.callerPhone
}
