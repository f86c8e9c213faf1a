import { useI18n } from 'vue-i18n'
import { useErrorMessage } from './useErrorMessage'

/**
 * A failed save in words, including the two cases a person can fix on the spot: the tablet is not
 * enrolled, or nobody is signed in (records carry the signed-in person). Matched by name, as the
 * errors come from the operator store.
 */
export function useSaveErrorMessage() {
  const { t } = useI18n()
  const errorMessage = useErrorMessage()
  return (error: unknown): string => {
    const name = (error as { name?: string } | undefined)?.name
    if (name === 'NotEnrolledError') return t('outage.fault.errors.notEnrolled')
    if (name === 'NotSignedInError') return t('people.notSignedIn')
    return errorMessage(error)
  }
}
