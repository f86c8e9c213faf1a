import { useI18n } from 'vue-i18n'
import { parseRejection, type RejectionParams } from '../../shared/rejections'

/**
 * Why the server refused a record, in the user's language: the sentence of its code
 * (`record.rejection.<code>`), with the role and record kind it names translated. A rejection with
 * no code (an older server) or one this app version does not know (a newer server), or whose
 * params do not fit, is shown as the server's English reason, as it was stored: a refused record
 * always stays visible with a reason.
 *
 * The one place a rejection becomes text: every screen that shows one calls this.
 */
export function useRejectionMessage() {
  const { t, te } = useI18n()
  const named = (prefix: string, id: string) => (te(`${prefix}.${id}`) ? t(`${prefix}.${id}`) : id)
  return (reason: string | undefined, code?: string, params?: RejectionParams): string => {
    const rejection = parseRejection(code, params)
    if (!rejection) return reason ?? t('record.state.rejected')
    switch (rejection.code) {
      case 'invalid_record':
        return rejection.params.field
          ? t('record.rejection.invalid_record', rejection.params)
          : t('record.rejection.invalid_record_whole')
      case 'server_only_kind':
      case 'no_person':
      case 'stale_version':
        return t(`record.rejection.${rejection.code}`, { ...rejection.params, kind: named('record.kind', rejection.params.kind) })
      case 'role_not_allowed':
        return t('record.rejection.role_not_allowed', {
          ...rejection.params,
          kind: named('record.kind', rejection.params.kind),
          role: named('people.role', rejection.params.role),
        })
      default:
        return t(`record.rejection.${rejection.code}`, rejection.params)
    }
  }
}
