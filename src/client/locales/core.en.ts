/**
 * The English of the core messages (the Chinese ones are in the start bundle), in one module
 * loaded only when English is chosen (i18n.ts `loadEnglish`): Chinese is the floor's language and
 * the fallback, so a tablet in Chinese never downloads this. The other areas' English is in their
 * own chunks (areas.ts).
 */
import en from './en'
import peopleEn from './people.en'
import incidentsEn from './incidents.en'
import outageEn from './outage.en'

export default { ...en, ...peopleEn, ...incidentsEn, ...outageEn }
