/**
 * Chinese phone numbers as agents type them: mobiles (11 digits, 1[3-9]…), landlines with their
 * area code and an optional extension, and calls whose number was withheld. A number that fits
 * none of these is "unverified": the record is still saved (losing the call is worse), marked so.
 */

export const PHONE_STATUSES = ['mobile', 'landline', 'withheld', 'unverified', 'empty'] as const
export type PhoneStatus = (typeof PHONE_STATUSES)[number]

/** Why a number did not pass, so that the message can say what to fix. */
export type PhoneProblem = 'mobile' | 'areaCode' | 'format'

export interface PhoneCheck {
  status: PhoneStatus
  /** The number as it should be stored: `13800138000`, `010-12345678`, `0755-1234567-801`; '' when withheld. */
  normalized: string
  /** Digits only (area code and local number, no extension): what search and "called before" match on. */
  key: string
  problem?: PhoneProblem
}

/** Words people type when the caller's number was not shown, in both languages. */
const WITHHELD_RE = /^(withheld|number withheld|private|unknown|anonymous|no caller id|未显示|不显示|未显示号码|号码未显示|隐藏|隐藏号码|号码隐藏|无号码|无来电显示|私密号码|无法显示)$/i

/** Area codes: 010 and 02x have three digits, every other one four (0 + three). */
const AREA_RE = /^0(?:10|2\d|[3-9]\d{2})$/
const LOCAL_RE = /^[1-9]\d{6,7}$/
const EXT_MARK_RE = /\s*(?:转|分机|ext\.?|x|#|,)\s*(\d{1,6})$/i

export function isWithheld(input: string): boolean {
  return WITHHELD_RE.test(input.normalize('NFKC').trim())
}

function areaAndLocal(digits: string): [string, string] | undefined {
  const areaLength = /^0[12]/.test(digits) ? 3 : 4
  const area = digits.slice(0, areaLength)
  const local = digits.slice(areaLength)
  return AREA_RE.test(area) && LOCAL_RE.test(local) ? [area, local] : undefined
}

export function checkPhone(input: string): PhoneCheck {
  // NFKC turns full-width digits and brackets (１３８、（０１０）) into ASCII.
  const text = input.normalize('NFKC').trim()
  if (text === '') return { status: 'empty', normalized: '', key: '' }
  if (WITHHELD_RE.test(text)) return { status: 'withheld', normalized: '', key: '' }

  let rest = text.toLowerCase()
  let ext: string | undefined
  const extMatch = EXT_MARK_RE.exec(rest)
  if (extMatch) {
    ext = extMatch[1]
    rest = rest.slice(0, extMatch.index)
  }
  rest = rest.replace(/[\s().\u2010-\u2015]/g, (c) => (/[\u2010-\u2015]/.test(c) ? '-' : ''))
  const typedDigits = rest.replace(/\D/g, '')
  const unverified = (problem: PhoneProblem): PhoneCheck => ({ status: 'unverified', normalized: text, key: typedDigits, problem })
  if (!/^\+?[\d-]+$/.test(rest)) return unverified('format')

  let international = false
  if (/^(\+|00)86/.test(rest)) {
    international = true
    rest = rest.replace(/^(\+|00)86-?/, '')
  } else if (/^86-?1[3-9]\d{9}$/.test(rest)) {
    rest = rest.replace(/^86-?/, '')
  }
  if (rest.startsWith('+')) return unverified('format')

  const parts = rest.split('-').filter(Boolean)
  const digits = parts.join('')
  if (/^1[3-9]\d{9}$/.test(digits) && parts.length <= 3 && !ext) return { status: 'mobile', normalized: digits, key: digits }
  if (/^1/.test(digits) && !international) return unverified('mobile')

  // From abroad the area code loses its 0: +86 10 12345678, +86 755 1234567.
  const withZero = (area: string) => (international && !area.startsWith('0') ? `0${area}` : area)
  let found: [string, string] | undefined
  if (parts.length >= 2) {
    const area = withZero(parts[0]!)
    const local = parts[1]!
    if (parts.length === 3 && !ext) ext = parts[2]
    if (parts.length > 3) return unverified('format')
    found = AREA_RE.test(area) && LOCAL_RE.test(local) ? [area, local] : undefined
  } else {
    found = areaAndLocal(withZero(digits))
  }
  if (!found || (ext !== undefined && !/^\d{1,6}$/.test(ext))) return unverified('areaCode')
  const [area, local] = found
  return { status: 'landline', normalized: `${area}-${local}${ext ? `-${ext}` : ''}`, key: `${area}${local}` }
}

/** Digits of a search query, so that "138 0013" and "010-1234" find numbers by prefix. */
export function phoneSearchKey(query: string): string {
  const digits = query.normalize('NFKC').replace(/\D/g, '')
  return digits.replace(/^(?:0086|86)(?=1[3-9])/, '')
}
