import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import HomePage from './pages/HomePage.vue'

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: HomePage },
  { path: '/enroll', name: 'enroll', component: () => import('./pages/EnrollPage.vue') },
  { path: '/calls/new', name: 'call-new', component: () => import('./pages/CallRecordPage.vue') },
  { path: '/calls/draft/:id', name: 'call-draft', component: () => import('./pages/CallRecordPage.vue'), props: true },
  { path: '/playbooks/new', name: 'playbook-new', component: () => import('./pages/PlaybookEditorPage.vue') },
  { path: '/playbooks/:id/edit', name: 'playbook-edit', component: () => import('./pages/PlaybookEditorPage.vue'), props: true },
  { path: '/contacts', name: 'contacts', component: () => import('./pages/ContactsPage.vue') },
  { path: '/playbooks/:id', name: 'playbook', component: () => import('./pages/PlaybookPage.vue'), props: true },
  { path: '/incidents', name: 'incidents', component: () => import('./pages/IncidentsArchivePage.vue') },
  { path: '/incidents/:id/report', name: 'incident-report', component: () => import('./pages/IncidentReportPage.vue'), props: true },
  { path: '/incidents/:id/review', name: 'incident-review', component: () => import('./pages/IncidentReviewPage.vue'), props: true },
  { path: '/incidents/:id', name: 'incident', component: () => import('./pages/IncidentPage.vue'), props: true },
  { path: '/outage', name: 'outage', component: () => import('./pages/OutageDeskPage.vue') },
  { path: '/outage/calls', name: 'outage-calls', component: () => import('./pages/CallListPage.vue') },
  { path: '/outage/faults/new', name: 'fault-new', component: () => import('./pages/FaultNewPage.vue') },
  { path: '/outage/faults/:id', name: 'fault', component: () => import('./pages/FaultPage.vue'), props: true },
  { path: '/outage/faults/:id/worklist', name: 'worklist', component: () => import('./pages/WorklistPage.vue'), props: true },
  { path: '/outage/logs/:book', name: 'log', component: () => import('./pages/LogPage.vue'), props: true },
  { path: '/diagnostics', name: 'diagnostics', component: () => import('./pages/DiagnosticsPage.vue') },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue') },
]

export function createAppRouter() {
  return createRouter({ history: createWebHistory(), routes })
}
