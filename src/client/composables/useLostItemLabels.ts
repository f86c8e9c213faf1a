import { useI18n } from 'vue-i18n'
import type { LostItemView } from '../stores/lostFound'

/**
 * How a register entry's state reads on every screen: its status as a word with an icon and the
 * colour language (open: amber, to act on; returned: green; closed: neutral), and its age.
 */
export function useLostItemLabels() {
  const { t } = useI18n()

  function statusText(v: LostItemView): string {
    const s = v.state.status
    if (v.item.mode === 'reported' && (s === 'open' || s === 'ownerContacted')) return t(`lostFound.statusReported.${s}`)
    return t(`lostFound.status.${s}`)
  }
  const statusClass = (v: LostItemView) => (v.state.status === 'returned' ? 'chip-ok' : v.state.status === 'closed' ? 'chip-neutral' : 'chip-warn')
  const statusIcon = (v: LostItemView) => (v.state.status === 'returned' ? '✓' : v.state.status === 'closed' ? '■' : '⏳')

  /** "Kept 8 days" while unclaimed; "returned after 3 days" once finished. */
  function ageText(v: LostItemView): string {
    const n = v.state.ageDays
    if (v.finished) return t(`lostFound.age.${v.state.status === 'returned' ? 'returnedAfter' : 'closedAfter'}`, { n }, n)
    if (n === 0) return t(`lostFound.age.today.${v.item.mode}`)
    return t(`lostFound.age.${v.item.mode}`, { n })
  }

  return { statusText, statusClass, statusIcon, ageText }
}
