import { useI18n } from 'vue-i18n'

/** Known causes of a failed save, turned into a sentence that says what happened and what to do. */
export function useErrorMessage() {
  const { t } = useI18n()
  return (error: unknown): string => {
    const name = (error as { name?: string })?.name
    const inner = (error as { inner?: { name?: string } })?.inner?.name
    if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') return t('errors.quota')
    if (name === 'DatabaseClosedError' || name === 'InvalidStateError') return t('errors.dbClosed')
    return t('errors.unknownSave')
  }
}
