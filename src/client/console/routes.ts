import type { RouteLocationNormalized, RouteRecordRaw } from 'vue-router'

/**
 * The central console's screens, in the same app as the tablet's but lazy-loaded (a tablet never
 * downloads them: even the guards load the console's store on first use). They need no enrollment
 * and no tablet sign-in: the router's tablet guard lets every `/console` path through (router.ts
 * `isOpenRoute`), and these guards ask for a console session instead.
 */
const consoleStore = async () => (await import('../stores/console')).useConsoleStore()

async function needsSession(to: RouteLocationNormalized) {
  const store = await consoleStore()
  if (store.signedIn) return true
  return { name: 'console-sign-in', query: to.fullPath === '/console' ? {} : { redirect: to.fullPath } }
}

async function needsAdmin(to: RouteLocationNormalized) {
  const store = await consoleStore()
  if (!store.signedIn) return needsSession(to)
  return store.isAdmin ? true : { name: 'console-now' }
}

export const consoleRoutes: RouteRecordRaw[] = [
  { path: '/console/sign-in', name: 'console-sign-in', component: () => import('../pages/ConsoleSignInPage.vue') },
  {
    path: '/console',
    component: () => import('../pages/ConsolePage.vue'),
    beforeEnter: needsSession,
    children: [
      { path: '', name: 'console-now', component: () => import('../pages/ConsoleNowPage.vue') },
      { path: 'records', name: 'console-records', component: () => import('../pages/ConsoleRecordsPage.vue') },
      { path: 'follow-through', name: 'console-follow-through', component: () => import('../pages/ConsoleFollowThroughPage.vue') },
      { path: 'drills', name: 'console-drills', component: () => import('../pages/ConsoleDrillsPage.vue') },
      { path: 'admin', name: 'console-admin', component: () => import('../pages/ConsoleAdminPage.vue'), beforeEnter: needsAdmin },
    ],
  },
]
