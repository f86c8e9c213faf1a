import { useI18n } from 'vue-i18n'
import { useOutageStore, type FaultView } from '../stores/outage'
import { downloadFile } from './useDownload'
import { toLocalInput } from './useLocalTime'
import { CALL_EXPORT_COLUMNS, outageExportJson, toCsv, type CallExportColumn } from '../../shared/outage-export'

const TIME_COLUMNS: CallExportColumn[] = ['calledAt', 'callbackLastAt', 'reenteredAt']

/** CSV (for Excel, in the user's language) and JSON (for a CRM import) of an outage's call records. */
export function useOutageExport() {
  const { t } = useI18n()
  const outage = useOutageStore()

  function label(column: CallExportColumn, value: string | number | boolean): string | number | boolean {
    if (value === '') return ''
    if (typeof value === 'boolean') return value ? t('outage.export.yes') : t('outage.export.no')
    if (TIME_COLUMNS.includes(column)) return toLocalInput(String(value)).replace('T', ' ')
    if (column === 'category') return t(`outage.form.categories.${value}`)
    if (column === 'priority') return t(`outage.form.priorities.${value}`)
    if (column === 'callbackState') return t(`outage.worklist.state.${value}`)
    if (column === 'callerPhoneStatus') return t(`outage.phone.${value}`)
    return value
  }

  function fileName(fault: FaultView, ext: string): string {
    const start = toLocalInput(fault.data.startedAt).replace(/[-:T]/g, '').slice(0, 12)
    return `${t('outage.export.file')}-${fault.data.system.replace(/[\\/:*?"<>|\s]+/g, '_')}-${start}.${ext}`
  }

  async function csv(fault: FaultView): Promise<void> {
    const { rows } = await outage.exportItems(fault.id)
    const headers = Object.fromEntries(CALL_EXPORT_COLUMNS.map((c) => [c, t(`outage.export.headers.${c}`)])) as Record<CallExportColumn, string>
    downloadFile(fileName(fault, 'csv'), toCsv(CALL_EXPORT_COLUMNS, headers, rows, label), 'text/csv;charset=utf-8')
  }

  async function json(fault: FaultView): Promise<void> {
    const { items } = await outage.exportItems(fault.id)
    downloadFile(fileName(fault, 'json'), outageExportJson({ record: fault.record, state: fault.state }, items, new Date().toISOString()), 'application/json')
  }

  return { csv, json }
}
