import type { Contact } from '../playbook'

/**
 * The contact list every new site starts with: the people and numbers the plans tell staff to call.
 * Internal and partner numbers are not in the source, so their phones are empty for the center to
 * fill in; the ids are what steps refer to and must not change.
 */
export const DEFAULT_CONTACTS: Contact[] = [
  {
    id: 'police',
    name: { 'zh-CN': '公安报警', en: 'Police' },
    title: { 'zh-CN': '紧急报警电话', en: 'Emergency number' },
    phone: '110',
    kind: 'emergency',
  },
  {
    id: 'fire',
    name: { 'zh-CN': '消防报警', en: 'Fire service' },
    title: { 'zh-CN': '火警电话', en: 'Emergency number' },
    phone: '119',
    kind: 'emergency',
  },
  {
    id: 'ambulance',
    name: { 'zh-CN': '医疗急救', en: 'Ambulance' },
    title: { 'zh-CN': '急救电话', en: 'Emergency number' },
    phone: '120',
    kind: 'emergency',
  },
  {
    id: 'general-manager',
    name: { 'zh-CN': '总经理', en: 'General manager' },
    title: { 'zh-CN': '应急处理领导小组组长', en: 'Leader of the emergency leadership group' },
    phone: '',
    kind: 'internal',
    leadershipGroup: 'leader',
  },
  {
    id: 'center-manager',
    name: { 'zh-CN': '客服中心经理', en: 'Center manager' },
    title: { 'zh-CN': '应急处理领导小组副组长', en: 'Deputy leader of the emergency leadership group' },
    phone: '',
    kind: 'internal',
    leadershipGroup: 'deputy',
  },
  {
    id: 'leadership-office',
    name: { 'zh-CN': '应急处理领导小组办公室', en: 'Emergency leadership group office' },
    title: {
      'zh-CN': '设在客服中心，负责预案、演练和日常落实',
      en: 'In the customer service center; runs the plans, drills and daily follow-through',
    },
    phone: '',
    kind: 'internal',
  },
  {
    id: 'call-center-supervisor',
    name: { 'zh-CN': '呼叫中心主管', en: 'Call center supervisor' },
    title: { 'zh-CN': '应急处理领导小组成员', en: 'Member of the emergency leadership group' },
    phone: '',
    kind: 'internal',
    leadershipGroup: 'member',
  },
  {
    id: 'hall-supervisor',
    name: { 'zh-CN': '服务大厅主管', en: 'Service hall supervisor' },
    title: { 'zh-CN': '应急处理领导小组成员', en: 'Member of the emergency leadership group' },
    phone: '',
    kind: 'internal',
    leadershipGroup: 'member',
  },
  {
    id: 'operations-supervisor',
    name: { 'zh-CN': '运营主管', en: 'Operations supervisor' },
    title: { 'zh-CN': '应急处理领导小组成员', en: 'Member of the emergency leadership group' },
    phone: '',
    kind: 'internal',
    leadershipGroup: 'member',
  },
  {
    id: 'hall-head',
    name: { 'zh-CN': '大厅负责人', en: 'Head of the hall' },
    title: { 'zh-CN': '服务大厅部门负责人', en: 'Person in charge of the service hall' },
    phone: '',
    kind: 'internal',
  },
  {
    id: 'hall-security',
    name: { 'zh-CN': '大厅安保', en: 'Hall security' },
    title: { 'zh-CN': '服务大厅安保人员', en: 'Security staff of the service hall' },
    phone: '',
    kind: 'internal',
  },
  {
    id: 'ops-specialist',
    name: { 'zh-CN': '系统运维专员', en: 'Ops specialist' },
    title: { 'zh-CN': '呼叫中心系统运维', en: "Runs the call center's systems" },
    phone: '',
    kind: 'internal',
  },
  {
    id: 'security-supervision-manager',
    name: { 'zh-CN': '安全监察部经理', en: 'Security supervision department manager' },
    title: { 'zh-CN': '接收事后分析总结材料', en: 'Receives the analysis and summary after an incident' },
    phone: '',
    kind: 'internal',
  },
  {
    id: 'it-partner',
    name: { 'zh-CN': '电脑维护合作单位', en: 'IT maintenance partner' },
    title: { 'zh-CN': '服务大厅业务系统维护', en: "Maintains the service hall's business systems" },
    phone: '',
    kind: 'external',
  },
  {
    id: 'system-vendor',
    name: { 'zh-CN': '系统供应商', en: 'System vendor' },
    title: { 'zh-CN': '呼叫中心系统供应商', en: "Supplier of the call center's systems" },
    phone: '',
    kind: 'external',
  },
  {
    id: 'ac-repair',
    name: { 'zh-CN': '空调维修', en: 'Air-conditioning repair' },
    title: { 'zh-CN': '空调维修单位', en: 'Air-conditioning repair service' },
    phone: '',
    kind: 'external',
  },
]
