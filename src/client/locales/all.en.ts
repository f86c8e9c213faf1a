/**
 * Every English message, in one module that is loaded only when English is chosen (i18n.ts):
 * Chinese is the floor's language and the fallback, so a tablet in Chinese never downloads this.
 */
import en from './en'
import peopleEn from './people.en'
import incidentsEn from './incidents.en'
import outageEn from './outage.en'
import editorEn from './playbooks-editor.en'
import hallEn from './hall.en'
import lostFoundEn from './lost-found.en'
import consoleEn from './console.en'

export default { ...en, ...peopleEn, ...incidentsEn, ...outageEn, ...editorEn, ...hallEn, ...lostFoundEn, ...consoleEn }
