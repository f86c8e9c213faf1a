import { signInState } from './stores/operator'
import { usePlaybooksStore } from './stores/playbooks'
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import HomePage from './pages/HomePage.vue'
import { consoleRoutes } from './console/routes'
import { loadAreas, type LocaleComposer } from './i18n'
import type { Area } from './locales/areas'

declare module 'vue-router' {
  interface RouteMeta {
    /**
     * The message areas (locales/areas.ts) the page needs beyond the core ones in the start
     * bundle: the router's guard loads them before the page resolves. A parent's areas count for
     * its children.
     */
    messages?: readonly Area[]
  }
}

const needs = (...messages: Area[]) => ({ messages })

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: HomePage },
  { path: '/enroll', name: 'enroll', component: () => import('./pages/EnrollPage.vue') },
  { path: '/calls/new', name: 'call-new', component: () => import('./pages/CallRecordPage.vue') },
  { path: '/calls/draft/:id', name: 'call-draft', component: () => import('./pages/CallRecordPage.vue'), props: true },
  { path: '/playbooks/new', name: 'playbook-new', component: () => import('./pages/PlaybookEditorPage.vue'), meta: needs('editor') },
  // the editors copy a plan or the contact list into a form once: they open on the whole catalog
  { path: '/playbooks/:id/edit', name: 'playbook-edit', component: () => import('./pages/PlaybookEditorPage.vue'), props: true, beforeEnter: () => usePlaybooksStore().loaded, meta: needs('editor') },
  { path: '/contacts', name: 'contacts', component: () => import('./pages/ContactsPage.vue'), beforeEnter: () => usePlaybooksStore().loaded, meta: needs('editor') },
  { path: '/playbooks/:id', name: 'playbook', component: () => import('./pages/PlaybookPage.vue'), props: true },
  { path: '/incidents', name: 'incidents', component: () => import('./pages/IncidentsArchivePage.vue') },
  { path: '/incidents/:id/report', name: 'incident-report', component: () => import('./pages/IncidentReportPage.vue'), props: true },
  { path: '/incidents/:id/review', name: 'incident-review', component: () => import('./pages/IncidentReviewPage.vue'), props: true },
  { path: '/incidents/:id/roll-call', name: 'roll-call', component: () => import('./pages/RollCallPage.vue'), props: true, meta: needs('hall') },
  { path: '/hall/media', name: 'media', component: () => import('./pages/MediaLogPage.vue'), meta: needs('hall') },
  { path: '/hall/lost-found', name: 'lost-found', component: () => import('./pages/LostFoundListPage.vue'), meta: needs('lostFound') },
  { path: '/hall/lost-found/new', name: 'lost-found-new', component: () => import('./pages/LostFoundNewPage.vue'), meta: needs('lostFound') },
  { path: '/hall/lost-found/draft/:id', name: 'lost-found-draft', component: () => import('./pages/LostFoundNewPage.vue'), props: true, meta: needs('lostFound') },
  { path: '/hall/lost-found/:id', name: 'lost-found-item', component: () => import('./pages/LostFoundPage.vue'), props: true, meta: needs('lostFound') },
  { path: '/hall/media/wordings', name: 'media-wordings', component: () => import('./pages/MediaWordingsPage.vue'), meta: needs('hall') },
  { path: '/incidents/:id', name: 'incident', component: () => import('./pages/IncidentPage.vue'), props: true },
  { path: '/outage', name: 'outage', component: () => import('./pages/OutageDeskPage.vue') },
  { path: '/outage/calls', name: 'outage-calls', component: () => import('./pages/CallListPage.vue') },
  { path: '/outage/faults/new', name: 'fault-new', component: () => import('./pages/FaultNewPage.vue') },
  { path: '/outage/faults/:id', name: 'fault', component: () => import('./pages/FaultPage.vue'), props: true },
  { path: '/outage/faults/:id/worklist', name: 'worklist', component: () => import('./pages/WorklistPage.vue'), props: true },
  { path: '/outage/logs/:book', name: 'log', component: () => import('./pages/LogPage.vue'), props: true },
  { path: '/sign-in', name: 'sign-in', component: () => import('./pages/SignInPage.vue') },
  // its link to the console is worded in the console's messages
  { path: '/diagnostics', name: 'diagnostics', component: () => import('./pages/DiagnosticsPage.vue'), meta: needs('console') },
  // The central console (issue 7): its own session, no enrollment or tablet sign-in (see isOpenRoute).
  ...consoleRoutes.map((route) => ({ ...route, meta: { ...route.meta, ...needs('console') } })),
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue') },
]

/** Screens that work with nobody signed in: enrolling, signing in, diagnostics, the console. */
const OPEN_ROUTES = new Set(['enroll', 'sign-in', 'diagnostics', 'not-found'])

export function isOpenRoute(name: unknown, path: string): boolean {
  return (typeof name === 'string' && OPEN_ROUTES.has(name)) || path === '/console' || path.startsWith('/console/')
}

/** The app's router; given the app's i18n, it loads the messages a page needs before the page resolves. */
export function createAppRouter(i18n?: { global: LocaleComposer }) {
  const router = createRouter({ history: createWebHistory(), routes })
  // The messages of the areas the page needs (route `meta.messages`), in the current language:
  // never raw keys on screen. Cached, and never fails (a chunk that did not load leaves its keys to
  // the Chinese fallback): the navigation goes on whatever happens.
  if (i18n) router.beforeResolve((to) => loadAreas(i18n.global, to.matched.flatMap((record) => record.meta.messages ?? [])))
  // An enrolled tablet asks who is using it before anything is recorded (every record names its
  // person); the page asked for comes back after sign-in. Read from the local store: works offline.
  router.beforeEach(async (to) => {
    if (isOpenRoute(to.name, to.path)) return true
    const { enrolled, signedIn } = await signInState()
    if (!enrolled || signedIn) return true
    return { name: 'sign-in', query: { redirect: to.fullPath } }
  })
  return router
}
