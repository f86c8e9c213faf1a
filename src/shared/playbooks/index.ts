import type { Playbook } from '../playbook'
import { CALL_CENTER_PLAYBOOKS } from './call-center'
import { SERVICE_HALL_PLAYBOOKS } from './service-hall'

export { DEFAULT_CONTACTS } from './contacts'
export { CALL_CENTER_PLAYBOOKS } from './call-center'
export { SERVICE_HALL_PLAYBOOKS } from './service-hall'

/**
 * The nineteen plans of the source, shipped with the app and seeded on the server: service hall
 * H1 to H10, then call center C1 to C9. Plain typed data, not parsed here, so importing this costs
 * nothing at load; the unit tests parse every one with `PlaybookSchema`.
 */
export const SHIPPED_PLAYBOOKS: Playbook[] = [...SERVICE_HALL_PLAYBOOKS, ...CALL_CENTER_PLAYBOOKS]
