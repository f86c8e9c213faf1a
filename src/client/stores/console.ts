import { defineStore } from 'pinia'
import { computed, shallowRef, type ShallowRef } from 'vue'
import { StorageSerializers, useSessionStorage } from '@vueuse/core'
import type { z } from 'zod'
import { ConsoleApiError, createConsoleApi, type ConsoleApi, type RecordsFilter } from '../console/api'
import type { PersonCreateSchema, PersonUpdateSchema, SessionResponse, SiteCreateSchema, SiteUpdateSchema } from '../../shared/admin'
import { signInFailure, type AdminDevice, type AdminSite, type ConsoleNow, type ConsoleRecords, type Drills, type FollowThrough, type SignInFailure } from '../../shared/console'
import type { AdminPerson } from '../../shared/admin'

/** The console's sign-in, per browser tab: closing the tab signs out (a shared desktop forgets it). */
export const CONSOLE_SESSION_KEY = 'steadyline.console.session'

export type ConsoleSession = Omit<SessionResponse, 'token'> & { token: string }

/** What went wrong with a console call, for the page's message. */
export type ConsoleProblem = 'network' | 'forbidden' | 'notFound' | 'conflict' | 'invalid' | 'server' | 'unauthorized'

export function problemOf(error: unknown): ConsoleProblem {
  if (!(error instanceof ConsoleApiError)) return 'server'
  if (error.status === 0) return 'network'
  if (error.status === 401) return 'unauthorized'
  if (error.status === 403) return 'forbidden'
  if (error.status === 404) return 'notFound'
  if (error.status === 409) return 'conflict'
  if (error.status === 400) return 'invalid'
  return 'server'
}

export interface Resource<T, A extends unknown[]> {
  data: ShallowRef<T | undefined>
  problem: ShallowRef<ConsoleProblem | undefined>
  loading: ShallowRef<boolean>
  /** When the data last arrived (this browser's clock, ms). */
  loadedAt: ShallowRef<number>
  /** Loads; false when it failed (the previous data stays, with `problem` set). */
  load: (...args: A) => Promise<boolean>
}

/**
 * The central console (issue 7): the signed-in person and the server's views across their sites.
 * Nothing here is stored on the device but the session token (sessionStorage); every view is read
 * from the server. A 401 from any call ends the session (`expired`), and the pages go to sign-in.
 */
export const useConsoleStore = defineStore('console', () => {
  const stored = useSessionStorage<ConsoleSession | null>(CONSOLE_SESSION_KEY, null, { serializer: StorageSerializers.object })
  const api: ConsoleApi = createConsoleApi({ getToken: () => stored.value?.token })
  /** Set when the server said the session is no longer valid (expired, revoked, role changed). */
  const expired = shallowRef(false)

  const session = computed(() => stored.value ?? undefined)
  const signedIn = computed(() => !!stored.value && Date.parse(stored.value.expiresAt) > Date.now())
  const isAdmin = computed(() => stored.value?.person.role === 'admin')
  const sites = computed(() => stored.value?.sites ?? [])

  async function guarded<T>(call: (api: ConsoleApi) => Promise<T>): Promise<T> {
    try {
      return await call(api)
    } catch (error) {
      if (error instanceof ConsoleApiError && error.status === 401 && stored.value) {
        stored.value = null
        expired.value = true
      }
      throw error
    }
  }

  /** Keeps only the answer of the newest call: a slow refresh never overwrites a newer one. */
  function resource<T, A extends unknown[]>(fetcher: (api: ConsoleApi, ...args: A) => Promise<T>): Resource<T, A> {
    const data = shallowRef<T | undefined>(undefined)
    const problem = shallowRef<ConsoleProblem | undefined>(undefined)
    const loading = shallowRef(false)
    const loadedAt = shallowRef(0)
    let sequence = 0
    async function load(...args: A): Promise<boolean> {
      const mine = ++sequence
      loading.value = true
      try {
        const value = await guarded((a) => fetcher(a, ...args))
        if (mine !== sequence) return true
        data.value = value
        loadedAt.value = Date.now()
        problem.value = undefined
        return true
      } catch (error) {
        if (mine === sequence) problem.value = problemOf(error)
        return false
      } finally {
        if (mine === sequence) loading.value = false
      }
    }
    return { data, problem, loading, loadedAt, load }
  }

  async function signIn(staffNo: string, pin: string): Promise<{ ok: true } | { ok: false; reason: SignInFailure }> {
    try {
      const response = await api.signIn(staffNo.trim(), pin)
      stored.value = response
      expired.value = false
      return { ok: true }
    } catch (error) {
      if (error instanceof ConsoleApiError) return { ok: false, reason: signInFailure(error.status) }
      return { ok: false, reason: 'server' }
    }
  }

  /** Signs out on the server too (the token stops working at once); offline, it is forgotten here. */
  async function signOut(): Promise<void> {
    if (stored.value) await api.signOut().catch(() => undefined)
    stored.value = null
    expired.value = false
  }

  /** Re-reads who is signed in and which sites they cover (a manager's sites may have changed). */
  async function refreshSession(): Promise<void> {
    if (!stored.value) return
    const info = await guarded((a) => a.session()).catch(() => undefined)
    if (info && stored.value) stored.value = { ...stored.value, ...info }
  }

  const now = resource<ConsoleNow, [siteId?: string]>((a, siteId) => a.now(siteId))
  const records = resource<ConsoleRecords, [filter: RecordsFilter]>((a, filter) => a.records(filter))
  const followThrough = resource<FollowThrough, [query: { siteId?: string; today?: string }]>((a, q) => a.followThrough(q))
  const drills = resource<Drills, [query: { siteId?: string; months?: number }]>((a, q) => a.drills(q))
  const adminSites = resource<AdminSite[], []>((a) => a.admin.sites())
  const adminPeople = resource<AdminPerson[], []>((a) => a.admin.people())
  const adminDevices = resource<AdminDevice[], []>((a) => a.admin.devices())

  /** The CSV export of the records as the server writes it (BOM included). */
  function recordsCsv(filter: RecordsFilter): Promise<string> {
    return guarded((a) => a.recordsCsv(filter))
  }

  type Outcome = { ok: true } | { ok: false; problem: ConsoleProblem; message: string }
  async function change(call: (api: ConsoleApi) => Promise<unknown>, reload: () => Promise<boolean>): Promise<Outcome> {
    try {
      await guarded(call)
    } catch (error) {
      return { ok: false, problem: problemOf(error), message: error instanceof Error ? error.message : String(error) }
    }
    await reload()
    return { ok: true }
  }

  const saveSite = (id: string | undefined, input: z.input<typeof SiteCreateSchema> | z.input<typeof SiteUpdateSchema>) =>
    change((a) => (id ? a.admin.updateSite(id, input) : a.admin.createSite(input as z.input<typeof SiteCreateSchema>)), async () => {
      await refreshSession()
      return adminSites.load()
    })
  const savePerson = (id: string | undefined, input: z.input<typeof PersonCreateSchema> | z.input<typeof PersonUpdateSchema>) =>
    change((a) => (id ? a.admin.updatePerson(id, input) : a.admin.createPerson(input as z.input<typeof PersonCreateSchema>)), () => adminPeople.load())
  const renameDevice = (id: string, name: string) => change((a) => a.admin.renameDevice(id, name), () => adminDevices.load())
  const revokeDevice = (id: string) => change((a) => a.admin.revokeDevice(id), () => adminDevices.load())

  return {
    session,
    signedIn,
    isAdmin,
    sites,
    expired,
    signIn,
    signOut,
    refreshSession,
    now: now.data,
    nowProblem: now.problem,
    nowLoading: now.loading,
    nowLoadedAt: now.loadedAt,
    refreshNow: now.load,
    records: records.data,
    recordsProblem: records.problem,
    recordsLoading: records.loading,
    loadRecords: records.load,
    recordsCsv,
    followThrough: followThrough.data,
    followThroughProblem: followThrough.problem,
    followThroughLoading: followThrough.loading,
    loadFollowThrough: followThrough.load,
    drills: drills.data,
    drillsProblem: drills.problem,
    drillsLoading: drills.loading,
    loadDrills: drills.load,
    adminSites: adminSites.data,
    adminPeople: adminPeople.data,
    adminDevices: adminDevices.data,
    adminProblem: computed(() => adminSites.problem.value ?? adminPeople.problem.value ?? adminDevices.problem.value),
    loadAdmin: () => Promise.all([adminSites.load(), adminPeople.load(), adminDevices.load()]),
    saveSite,
    savePerson,
    renameDevice,
    revokeDevice,
  }
})
