import { useInLocale, type UseLocalizedOptions } from './useLocalized'
import type { IncidentEvent } from '../../shared/incident'
import type { IncidentView } from '../stores/incidents'

/** One line of an incident's timeline, in the interface's language (or `options.locale`). */
export function useDescribeEvent(options: UseLocalizedOptions = {}) {
  const { t, d, local } = useInLocale(options)
  return (incident: IncidentView, event: IncidentEvent): string => {
    const playbook = incident.playbook
    switch (event.type) {
      case 'tick':
      case 'untick': {
        const step = local(playbook?.steps.find((s) => s.id === event.stepId)?.text) || event.stepId || ''
        // a tick recorded after the fact says when it was really done ("told at 10:05"), and how
        const head = event.type === 'tick' && event.doneAt
          ? t('incident.event.tickAt', { step, time: d(event.doneAt, 'short') })
          : t(`incident.event.${event.type}`, { step })
        return event.type === 'tick' && event.note ? t('incident.event.detail', { head, detail: event.note }) : head
      }
      case 'note':
        return t('incident.event.note', { note: event.note ?? '' })
      case 'levelStart':
        return t('incident.event.levelStart', {
          level: local(playbook?.levels?.find((l) => l.id === event.levelId)?.title) || event.levelId || '',
        })
      case 'alarmAck': {
        const clock = incident.clocks.find((c) => c.key === event.alarmKey)
        return t('incident.event.alarmAck', { label: local(clock?.deadline.label) || event.alarmKey || '' })
      }
      default:
        return t(`incident.event.${event.type}`)
    }
  }
}
