import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { db } from '../db/db'
import { getEnrollment, setMeta } from '../db/meta-repository'
import { getPerson, readOperatorState, type OperatorState } from '../db/people-repository'
import type { Who } from '../db/outage-repository'
import { useLiveQuery } from '../composables/useLiveQuery'
import { useDeviceStore } from './device'
import type { PersonRecordData } from '../../shared/people'
import { DEFAULT_IDLE_LOCK_MINUTES, afterWrongPin, pinWaiting, verifyPin, type Pbkdf2Subtle, type PinFailures } from '../../shared/pin'
import type { RecordKind } from '../../shared/records'
import { canCreate } from '../../shared/roles'

/** The person signed in on this tablet, kept in the local store so a reload keeps them signed in. */
const SIGNED_IN_KEY = 'signedIn'

interface SignedIn {
  personId: string
  at: string
}

export class NotEnrolledError extends Error {
  constructor() {
    super('this tablet is not enrolled')
    this.name = 'NotEnrolledError'
  }
}

export class NotSignedInError extends Error {
  constructor() {
    super('nobody is signed in on this tablet')
    this.name = 'NotSignedInError'
  }
}

/** Wrong PINs in a row before the keypad waits, and how long it waits. */
export const MAX_PIN_FAILURES = 5
export const PIN_LOCKOUT_MS = 30_000

export type SignInResult = { ok: true } | { ok: false; reason: 'wrongPin' | 'noPin' | 'unknown' | 'lockedOut'; retryAt?: number }

/** What a sign-in needs: the person's stored hash and a way to check a PIN against it. */
export async function checkSignIn(
  person: Pick<PersonRecordData, 'pin' | 'active'> | undefined,
  pin: string,
  subtle: Pbkdf2Subtle,
): Promise<'ok' | 'wrongPin' | 'noPin' | 'unknown'> {
  if (!person || !person.active) return 'unknown'
  if (!person.pin) return 'noPin'
  return (await verifyPin(subtle, pin, person.pin)) ? 'ok' : 'wrongPin'
}

/** The person signed in, while they are active on the roster (one who left counts as signed out). */
function activePerson({ signedIn, roster }: OperatorState<SignedIn>): PersonRecordData | undefined {
  const found = signedIn ? roster.find((p) => p.id === signedIn.personId) : undefined
  return found?.active ? found : undefined
}

/** For the router: is the tablet enrolled, and is somebody (still on the roster) signed in? One IndexedDB transaction. */
export async function signInState(): Promise<{ enrolled: boolean; signedIn: boolean }> {
  const state = await readOperatorState<SignedIn>(db, SIGNED_IN_KEY)
  if (!state.enrollment) return { enrolled: false, signedIn: false }
  return { enrolled: true, signedIn: activePerson(state) !== undefined }
}

/**
 * "Who is at this tablet": a person of the site's roster, signed in with their PIN, checked here
 * against the slow hash that came down with the roster, so it works with no network. Every record
 * made on the tablet carries this person (`personId`, and their name as `author`); the server
 * checks their role again. Signing out or the idle lock keeps every draft.
 */
export const useOperatorStore = defineStore('operator', () => {
  const device = useDeviceStore()
  // who is signed in, the roster and the idle lock's setting: one live query, one transaction
  const { value: state, ready } = useLiveQuery(() => readOperatorState<SignedIn>(db, SIGNED_IN_KEY), {
    initial: { enrollment: undefined, signedIn: undefined, roster: [], settings: undefined } as OperatorState<SignedIn>,
  })
  const idleLockMinutes = computed(() => state.value.settings?.idleLockMinutes ?? DEFAULT_IDLE_LOCK_MINUTES)
  const person = computed(() => activePerson(state.value))
  const activeRoster = computed(() => state.value.roster.filter((p) => p.active))
  /** The name shown on the tablet and written as each record's author. */
  const author = computed(() => person.value?.name ?? '')
  const failures = ref<(PinFailures & { personId: string }) | undefined>()

  function can(kind: RecordKind): boolean {
    return person.value !== undefined && canCreate(person.value.role, kind)
  }

  async function signIn(personId: string, pin: string, now = Date.now()): Promise<SignInResult> {
    const held = failures.value?.personId === personId ? failures.value : undefined
    if (held && pinWaiting(held, now)) return { ok: false, reason: 'lockedOut', retryAt: held.until }
    const enrollment = await getEnrollment(db)
    if (!enrollment) throw new NotEnrolledError()
    const result = await checkSignIn(await getPerson(db, enrollment.siteId, personId), pin, crypto.subtle as unknown as Pbkdf2Subtle)
    if (result === 'ok') {
      failures.value = undefined
      await setMeta(db, SIGNED_IN_KEY, { personId, at: new Date(now).toISOString() } satisfies SignedIn)
      return { ok: true }
    }
    if (result === 'wrongPin') {
      const next = afterWrongPin(held, now, MAX_PIN_FAILURES, PIN_LOCKOUT_MS)
      failures.value = { personId, ...next }
      if (next.until) return { ok: false, reason: 'lockedOut', retryAt: next.until }
    }
    return { ok: false, reason: result }
  }

  /** Signs the person out (switching person, or the idle lock); drafts stay where they are. */
  function signOut(): Promise<unknown> {
    return db.meta.delete(SIGNED_IN_KEY)
  }

  /** The envelope fields of a new record; throws before enrollment and when nobody is signed in. */
  async function who(): Promise<Who> {
    const current = await readOperatorState<SignedIn>(db, SIGNED_IN_KEY)
    const { enrollment } = current
    if (!enrollment) throw new NotEnrolledError()
    const found = activePerson(current)
    if (!found) throw new NotSignedInError()
    return { siteId: enrollment.siteId, deviceId: enrollment.deviceId, author: found.name, personId: found.id }
  }

  /** `who()`, or undefined before enrollment: for a form's "save", which then says so on the form. */
  async function whoIfEnrolled(): Promise<Who | undefined> {
    try {
      return await who()
    } catch (error) {
      if (error instanceof NotEnrolledError) return undefined
      throw error
    }
  }

  return {
    ready,
    signedIn: computed(() => person.value !== undefined),
    person,
    roster: activeRoster,
    author,
    idleLockMinutes,
    isEnrolled: computed(() => device.isEnrolled),
    can,
    signIn,
    signOut,
    who,
    whoIfEnrolled,
  }
})
