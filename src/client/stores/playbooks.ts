import { defineStore } from 'pinia'
import { computed } from 'vue'
import { SHIPPED_PLAYBOOKS, DEFAULT_CONTACTS } from '../../shared/playbooks'
import { PlaybookSchema, type Contact, type Playbook, type PlaybookCategory } from '../../shared/playbook'

/** Folds case and full-width forms, so "ＵＰＳ", "ups" and "UPS" find the same plan. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '')
}

/** Every text a plan can be found by: titles, keywords, trigger, in both languages. */
function haystack(p: Playbook): string {
  return fold(
    [p.id, p.title['zh-CN'], p.title.en, p.trigger['zh-CN'], p.trigger.en, ...p.keywords['zh-CN'], ...p.keywords.en].join('|'),
  )
}

/**
 * The plans on this tablet. Today these are the plans shipped with the app (validated at start);
 * plans edited by the center and pulled from the server replace them by id and version.
 */
export const usePlaybooksStore = defineStore('playbooks', () => {
  const playbooks = computed<Playbook[]>(() => SHIPPED_PLAYBOOKS.map((p) => PlaybookSchema.parse(p)))
  const contacts = computed<Contact[]>(() => DEFAULT_CONTACTS)
  const index = computed(() => playbooks.value.map((p) => ({ playbook: p, text: haystack(p) })))

  function byId(id: string): Playbook | undefined {
    return playbooks.value.find((p) => p.id === id)
  }

  function byCategory(category: PlaybookCategory): Playbook[] {
    return playbooks.value.filter((p) => p.category === category)
  }

  /** Plans whose title, trigger or keywords contain every word of the query. */
  function search(query: string): Playbook[] {
    const words = query.split(/\s+/).map(fold).filter(Boolean)
    if (words.length === 0) return playbooks.value
    return index.value.filter(({ text }) => words.every((w) => text.includes(w))).map(({ playbook }) => playbook)
  }

  function contact(id: string | undefined): Contact | undefined {
    return id ? contacts.value.find((c) => c.id === id) : undefined
  }

  return { playbooks, contacts, byId, byCategory, search, contact }
})
