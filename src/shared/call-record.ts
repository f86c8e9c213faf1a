import { z } from 'zod'

/**
 * A manual call record (手工记录表): what an agent writes down for each call while the CRM or the
 * network is down (plans C2 and C7). The full form (category, answer given, priority…) comes with
 * the outage desk; these are the fields every record has from the start.
 */
export const CallRecordDataSchema = z
  .object({
    /** When the call came in (ISO 8601), editable because agents often log a call after it ended. */
    calledAt: z.iso.datetime({ offset: true }),
    callerPhone: z.string().trim().max(40),
    callerName: z.string().trim().max(100),
    request: z.string().trim().min(1).max(4000),
    callbackNeeded: z.boolean(),
    callbackNumber: z.string().trim().max(40).default(''),
  })
  .superRefine((data, ctx) => {
    if (data.callbackNeeded && data.callbackNumber.length === 0 && data.callerPhone.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['callbackNumber'],
        message: 'callback_number_required',
      })
    }
  })

export type CallRecordData = z.infer<typeof CallRecordDataSchema>
