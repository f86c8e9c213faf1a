import type { PlaybookInput } from '../playbook'

/**
 * The call center's emergency plans (source: 呼叫中心突发事件处理预案, sections 1 to 9). The
 * source's clocks are kept as deadlines: C2 (5, 10 and 60 min), C6 (10 min) and C8 (levels 2 and
 * 3, each 30 min after the previous level). Complaint escalation, abnormal calls and urgent work
 * orders are named in the source's scope but have no section: the center adds those itself.
 */
export const CALL_CENTER_PLAYBOOKS = [
  {
    id: 'C1',
    // 2: the fault's start and recovery are kept on the system failure handling form, which writes
    // them into the shift leader log (the form was not offered from a C1 incident before).
    version: 2,
    category: 'callCenter',
    title: { 'zh-CN': '座席设备故障', en: 'Seat equipment failure' },
    summary: {
      'zh-CN': '单个座席设备或登录故障时，组长安排备用座席继续接听，通知系统运维专员，在组长日志记下故障起止时间。',
      en: 'When one seat fails, the shift leader moves the agent to a spare seat, calls the ops specialist and notes when the fault started and ended in the shift leader log.',
    },
    trigger: {
      'zh-CN': '单个座席的电脑、话机或耳机故障，或单个座席无法登录平台、无法使用应用程序',
      en: "One seat's PC, phone or headset fails, or one seat cannot log in to the platform or use an application.",
    },
    keywords: {
      'zh-CN': ['座席', '设备故障', '电脑', '话机', '耳机', '登录', '备用座席'],
      en: ['seat', 'equipment', 'PC', 'computer', 'phone', 'headset', 'login', 'spare seat'],
    },
    roles: ['agent', 'shiftLeader'],
    steps: [
      {
        id: 'report-leader',
        text: { 'zh-CN': '立即报告值班组长', en: 'Tell the shift leader at once' },
        role: 'agent',
      },
      {
        id: 'move-to-spare-seat',
        text: { 'zh-CN': '安排座席员到备用座席继续接听', en: 'Move the agent to a spare seat to keep taking calls' },
        role: 'shiftLeader',
        critical: true,
      },
      {
        id: 'notify-ops',
        text: { 'zh-CN': '立即通知系统运维专员处理', en: 'Call the ops specialist to fix it' },
        role: 'shiftLeader',
        contactId: 'ops-specialist',
      },
      {
        id: 'log-times',
        text: { 'zh-CN': '在组长日志记下故障开始和恢复时间', en: 'Note when the fault started and when it was fixed in the shift leader log' },
        detail: {
          'zh-CN': '在系统故障情况处理表上登记故障和恢复，开始和恢复时间会自动写入组长日志。',
          en: 'Record the fault and its recovery on the system failure handling form: both times go into the shift leader log by themselves.',
        },
        role: 'shiftLeader',
        records: ['faultRecord', 'shiftLeaderLog'],
      },
    ],
    records: ['faultRecord', 'shiftLeaderLog', 'incidentReport'],
  },
  {
    id: 'C2',
    version: 1,
    category: 'callCenter',
    title: { 'zh-CN': '应用程序或网络系统故障', en: 'Application or network system failure' },
    summary: {
      'zh-CN': '所有座席都无法使用某个应用程序时：5分钟内上报主管，10分钟无法恢复通知运营主管和中心经理，60分钟未解决考虑联系系统供应商；期间手工记录来电，恢复后回访。',
      en: 'When an application fails at every seat: report to the supervisor within 5 min; if it cannot be fixed in 10 min, tell the operations supervisor and the center manager; after 60 min consider calling the system vendor. Meanwhile log calls by hand and call customers back after recovery.',
    },
    trigger: {
      'zh-CN': '全部或某个应用程序所有座席都无法登录、查询缓慢或无法正常使用',
      en: 'One application, or all of them, cannot be logged in to or used at any seat, or is very slow.',
    },
    keywords: {
      'zh-CN': ['系统故障', '网络故障', '应用程序', '无法登录', '缓慢', '卡顿', '宕机', '手工记录'],
      en: ['system failure', 'network failure', 'application', 'login', 'slow', 'outage', 'down', 'manual records'],
    },
    roles: ['agent', 'shiftLeader', 'opsSpecialist', 'centerManager', 'supervisor'],
    steps: [
      {
        id: 'tell-leader',
        text: { 'zh-CN': '立即告知值班组长', en: 'Tell the shift leader at once' },
        role: 'agent',
      },
      {
        id: 'log-symptom',
        text: { 'zh-CN': '在员工日志简要记下时间和现象', en: 'Note the time and what you see in the agent log' },
        role: 'agent',
        records: ['agentLog'],
      },
      {
        id: 'notify-ops',
        text: { 'zh-CN': '立即通知系统运维专员处理', en: 'Call the ops specialist to fix it' },
        detail: {
          'zh-CN': '现场处理或远程桌面处理。',
          en: 'On site or by remote desktop.',
        },
        role: 'shiftLeader',
        contactId: 'ops-specialist',
        critical: true,
      },
      {
        id: 'report-supervisor',
        text: { 'zh-CN': '上报呼叫中心主管', en: 'Report to the call center supervisor' },
        role: 'shiftLeader',
        contactId: 'call-center-supervisor',
        deadline: {
          minutes: 5,
          from: { type: 'incidentStart' },
          kind: 'within',
          label: { 'zh-CN': '5分钟内上报主管', en: 'Report within 5 min' },
        },
        records: ['faultRecord'],
        critical: true,
      },
      {
        id: 'organise-floor',
        text: { 'zh-CN': '安排好现场秩序', en: 'Organise the floor' },
        role: 'shiftLeader',
      },
      {
        id: 'notify-operations-supervisor',
        text: { 'zh-CN': '10分钟内无法恢复：立即通知运营主管', en: 'Not fixable within 10 min: call the operations supervisor' },
        detail: {
          'zh-CN': '由运维专员判断；一旦判断无法在10分钟内恢复就通知，不必等满10分钟。',
          en: 'The ops specialist judges; call as soon as it is clear it will not be fixed within 10 min, without waiting for the clock.',
        },
        role: 'opsSpecialist',
        contactId: 'operations-supervisor',
        deadline: {
          minutes: 10,
          from: { type: 'incidentStart' },
          kind: 'escalateAfter',
          label: { 'zh-CN': '10分钟未恢复：通知运营主管', en: 'Down for 10 min: tell the operations supervisor' },
        },
        records: ['faultRecord'],
      },
      {
        id: 'notify-center-manager',
        text: { 'zh-CN': '10分钟内无法恢复：立即通知中心经理', en: 'Not fixable within 10 min: call the center manager' },
        role: 'opsSpecialist',
        contactId: 'center-manager',
        deadline: {
          minutes: 10,
          from: { type: 'incidentStart' },
          kind: 'escalateAfter',
          label: { 'zh-CN': '10分钟未恢复：通知中心经理', en: 'Down for 10 min: tell the center manager' },
        },
        records: ['faultRecord'],
      },
      {
        id: 'consider-vendor',
        text: { 'zh-CN': '60分钟仍未解决：考虑其他措施，如联系系统供应商', en: 'Still down after 60 min: decide on other action, such as calling the system vendor' },
        detail: {
          'zh-CN': '由呼叫中心主管领导决定。',
          en: "The call center's management decides.",
        },
        role: 'centerManager',
        contactId: 'system-vendor',
        deadline: {
          minutes: 60,
          from: { type: 'incidentStart' },
          kind: 'escalateAfter',
          label: { 'zh-CN': '60分钟未解决：采取其他措施', en: 'Down for 60 min: take other action' },
        },
        records: ['faultRecord'],
      },
      {
        id: 'answer-from-documents',
        text: { 'zh-CN': '修复期间，借助文件资料尽量解答客户', en: "While it is being fixed, answer customers from the call center's documents" },
        role: 'agent',
      },
      {
        id: 'stay-logged-in',
        text: { 'zh-CN': '未经许可不得擅自退出系统', en: 'Do not log out of the system without permission' },
        role: 'agent',
        critical: true,
      },
      {
        id: 'manual-record',
        text: { 'zh-CN': '在手工记录表上详细记下每通来电', en: 'Write down the details of every call on the manual record form' },
        role: 'agent',
        records: ['callRecord'],
      },
      {
        id: 'note-callback',
        text: { 'zh-CN': '需要恢复后回访的，记下客户联系方式', en: 'If the customer needs a call back after recovery, take their contact details' },
        role: 'agent',
        records: ['callbackList'],
      },
      {
        id: 'staff-per-surge-plan',
        text: { 'zh-CN': '按呼入量异常增长预案（C8）调配人员', en: 'Staff the floor by the call surge playbook (C8)' },
        role: 'supervisor',
      },
      {
        id: 'notify-recovery',
        text: { 'zh-CN': '系统恢复后，电话通知上述领导', en: 'Once the system is back, phone everyone you notified' },
        detail: {
          'zh-CN': '呼叫中心主管，以及已通知的运营主管和中心经理。',
          en: 'The call center supervisor, and the operations supervisor and center manager if they were told.',
        },
        role: 'shiftLeader',
        contactId: 'call-center-supervisor',
      },
      {
        id: 'follow-up-callbacks',
        text: { 'zh-CN': '恢复后逐一回访名单上的客户', en: 'After recovery, call back every customer on the follow-up list' },
        role: 'agent',
        records: ['callbackList'],
      },
      {
        id: 'record-fault',
        text: { 'zh-CN': '在组长日志和系统故障情况处理表上记录', en: 'Record the incident in the shift leader log and on the system failure handling form' },
        role: 'shiftLeader',
        records: ['shiftLeaderLog', 'faultRecord'],
      },
    ],
    records: ['faultRecord', 'callRecord', 'agentLog', 'shiftLeaderLog', 'callbackList', 'incidentReport'],
  },
  {
    id: 'C3',
    version: 1,
    category: 'callCenter',
    title: { 'zh-CN': '断电', en: 'Power cut' },
    summary: {
      'zh-CN': '市电断电时通知运维专员和中心领导，关空调节约UPS电力；中心线路故障时立即电话上报主管抢修；关闭不必要的电器，复电时检查系统。',
      en: "On a mains failure, tell the ops specialist and the center's leaders and turn off the air conditioning to save UPS power; on an internal line fault, phone the supervisor for repair at once. Switch off what is not needed and check the systems as power returns.",
    },
    trigger: {
      'zh-CN': '市电断电，或呼叫中心线路故障导致停电',
      en: 'Mains power fails, or a line fault inside the call center cuts the power.',
    },
    keywords: {
      'zh-CN': ['断电', '停电', '没电', '市电', 'UPS', '发电机', '线路故障'],
      en: ['power', 'power cut', 'power failure', 'blackout', 'mains', 'UPS', 'generator'],
    },
    roles: ['shiftLeader', 'allStaff', 'opsSpecialist'],
    variants: [
      {
        id: 'mains',
        title: { 'zh-CN': '市电断电', en: 'Mains power failure' },
        description: {
          'zh-CN': 'UPS自动切换到电池供电，业务系统不受影响，随后发电机启动供电。',
          en: 'The UPS switches to battery by itself so the systems keep running; then the generator starts.',
        },
      },
      {
        id: 'internal-line',
        title: { 'zh-CN': '中心线路故障', en: 'Line fault inside the center' },
      },
    ],
    steps: [
      {
        id: 'mains-notify-ops',
        text: { 'zh-CN': '立即通知系统运维专员，说明断电情况', en: 'Call the ops specialist at once and describe the outage' },
        role: 'shiftLeader',
        contactId: 'ops-specialist',
        variantIds: ['mains'],
        critical: true,
      },
      {
        id: 'mains-notify-leaders',
        text: { 'zh-CN': '立即通知中心领导，说明断电情况', en: "Tell the center's leaders at once what has happened" },
        role: 'shiftLeader',
        contactId: 'center-manager',
        variantIds: ['mains'],
      },
      {
        id: 'mains-ac-off',
        text: { 'zh-CN': '关闭大厅空调，节约UPS电力', en: 'Turn off the air conditioning on the floor to save UPS power' },
        detail: {
          'zh-CN': 'UPS会自动切换到电池组供电，业务系统不受影响；发电机随后启动，为整个业务系统供电。',
          en: "The UPS switches to its batteries at once, so the systems keep running; the generator then starts and powers all the call center's systems.",
        },
        role: 'shiftLeader',
        variantIds: ['mains'],
        critical: true,
      },
      {
        id: 'line-report-supervisor',
        text: { 'zh-CN': '立即电话上报主管，安排抢修', en: 'Phone the supervisor at once to get the line repaired' },
        role: 'shiftLeader',
        contactId: 'call-center-supervisor',
        variantIds: ['internal-line'],
        critical: true,
      },
      {
        id: 'switch-off-appliances',
        text: { 'zh-CN': '关闭所有不必要的电器，保障接听', en: 'Switch off every appliance not needed for taking calls' },
        role: 'allStaff',
      },
      {
        id: 'watch-recovery',
        text: { 'zh-CN': '供电恢复时，观察系统是否正常恢复', en: 'As power returns, check that the systems come back correctly' },
        role: 'opsSpecialist',
      },
    ],
    records: ['incidentReport'],
  },
  {
    id: 'C4',
    version: 1,
    category: 'callCenter',
    title: { 'zh-CN': '空调故障', en: 'Air conditioning failure' },
    summary: {
      'zh-CN': '空调不能使用时，值班组长通知主管，由主管联系维修。',
      en: 'When the air conditioning stops, the shift leader tells the supervisor, who calls for repair.',
    },
    trigger: { 'zh-CN': '空调不能使用', en: 'The air conditioning stops working.' },
    keywords: {
      'zh-CN': ['空调', '制冷', '太热', '温度', '维修'],
      en: ['air conditioning', 'AC', 'hot', 'heat', 'temperature', 'cooling', 'repair'],
    },
    roles: ['shiftLeader', 'supervisor'],
    steps: [
      {
        id: 'tell-supervisor',
        text: { 'zh-CN': '立即通知主管', en: 'Tell the supervisor at once' },
        role: 'shiftLeader',
        contactId: 'call-center-supervisor',
      },
      {
        id: 'call-repair',
        text: { 'zh-CN': '联系维修人员修复', en: 'Call the repair service' },
        role: 'supervisor',
        contactId: 'ac-repair',
      },
    ],
    records: ['incidentReport'],
  },
  {
    id: 'C5',
    version: 1,
    category: 'callCenter',
    title: { 'zh-CN': '安全防卫（火灾、盗窃）', en: 'Security: fire and theft' },
    summary: {
      'zh-CN': '火灾：拨打119，组长组织撤离，能扑救就扑救，失控即撤退。盗窃：保护现场，通知主管，由主管决定是否报警。',
      en: 'Fire: call 119, the shift leader leads everyone out, fight it only while you can and get out if it spreads. Theft: leave the scene as it is and tell the supervisor, who decides whether to call the police.',
    },
    trigger: {
      'zh-CN': '呼叫中心现场发生火灾或盗窃',
      en: 'Fire or theft on the call center floor.',
    },
    keywords: {
      'zh-CN': ['火灾', '着火', '火警', '冒烟', '119', '盗窃', '被偷', '失窃', '报警'],
      en: ['fire', 'smoke', '119', 'evacuate', 'theft', 'stolen', 'burglary', 'police'],
    },
    roles: ['agent', 'shiftLeader', 'allStaff', 'supervisor'],
    preparedness: [
      {
        'zh-CN': '每位座席员都会使用灭火器，牢记火警电话119。',
        en: 'Every agent knows how to use an extinguisher and that the fire number is 119.',
      },
      {
        'zh-CN': '按操作规程使用电脑，不得擅自拆卸，以免线路短路起火。',
        en: 'Use the computers by the rules and never take them apart: a short circuit can start a fire.',
      },
    ],
    variants: [
      { id: 'fire', title: { 'zh-CN': '火灾', en: 'Fire' } },
      { id: 'theft', title: { 'zh-CN': '盗窃', en: 'Theft' } },
    ],
    steps: [
      {
        id: 'fire-call-119',
        text: { 'zh-CN': '立即拨打119报警', en: 'Call 119 at once' },
        role: 'agent',
        contactId: 'fire',
        variantIds: ['fire'],
        critical: true,
      },
      {
        id: 'fire-evacuate',
        text: { 'zh-CN': '组织现场人员撤离', en: 'Lead everyone off the floor' },
        detail: {
          'zh-CN': '到达安全地点后清点人数。',
          en: 'Count everyone once you reach a safe place.',
        },
        role: 'shiftLeader',
        variantIds: ['fire'],
        records: ['rollCall'],
        critical: true,
      },
      {
        id: 'fire-fight',
        text: { 'zh-CN': '视情况扑救，尽量在起火初期灭火', en: 'Fight the fire if you can, ideally while it is still small' },
        detail: {
          'zh-CN': '消防人员到达前尽量控制火势。',
          en: 'Try to hold it back until the firefighters arrive.',
        },
        role: 'allStaff',
        variantIds: ['fire'],
      },
      {
        id: 'fire-tell-supervisor',
        text: { 'zh-CN': '发现火情后通知呼叫中心主管', en: 'Tell the call center supervisor about the fire' },
        role: 'shiftLeader',
        contactId: 'call-center-supervisor',
        variantIds: ['fire'],
      },
      {
        id: 'fire-leave-belongings',
        text: { 'zh-CN': '不要为抢救个人财物耽误撤离', en: 'Do not stay behind to save belongings' },
        role: 'allStaff',
        variantIds: ['fire'],
        critical: true,
      },
      {
        id: 'fire-retreat',
        text: { 'zh-CN': '火势失控，立即撤退', en: 'If the fire gets out of control, get out at once' },
        role: 'allStaff',
        variantIds: ['fire'],
        critical: true,
      },
      {
        id: 'fire-close-doors',
        text: { 'zh-CN': '条件允许时，就近关闭所有门窗', en: 'If you can, close the doors and windows near you' },
        detail: {
          'zh-CN': '防止火焰和烟雾蔓延，交由消防人员处理。',
          en: 'It stops fire and smoke from spreading; leave the rest to the firefighters.',
        },
        role: 'allStaff',
        variantIds: ['fire'],
      },
      {
        id: 'fire-report',
        text: { 'zh-CN': '到达安全地带后，尽快向上级领导汇报', en: 'Once you are safe, report to your superiors as soon as possible' },
        role: 'shiftLeader',
        contactId: 'center-manager',
        variantIds: ['fire'],
      },
      {
        id: 'theft-keep-scene',
        text: { 'zh-CN': '保留现场痕迹', en: 'Leave the scene as it is' },
        role: 'allStaff',
        variantIds: ['theft'],
      },
      {
        id: 'theft-tell-supervisor',
        text: { 'zh-CN': '马上通知主管', en: 'Tell the supervisor at once' },
        role: 'shiftLeader',
        contactId: 'call-center-supervisor',
        variantIds: ['theft'],
      },
      {
        id: 'theft-decide-police',
        text: { 'zh-CN': '根据现场情况决定是否报警', en: 'Decide from what you see whether to call the police' },
        detail: {
          'zh-CN': '由主管或经理决定。',
          en: 'The supervisor or the manager decides.',
        },
        role: 'supervisor',
        contactId: 'police',
        variantIds: ['theft'],
      },
      {
        id: 'theft-keep-serving',
        text: { 'zh-CN': '运行未受影响时，继续服务', en: 'If operations are not affected, keep serving customers' },
        detail: {
          'zh-CN': '管理人员要求保持现场时除外。',
          en: 'Unless management asks for the scene to be left untouched.',
        },
        role: 'allStaff',
        variantIds: ['theft'],
      },
    ],
    records: ['rollCall', 'incidentReport'],
  },
  {
    id: 'C6',
    version: 1,
    category: 'callCenter',
    title: { 'zh-CN': '个人事故', en: 'Personal accident' },
    summary: {
      'zh-CN': '现场有人工伤或患传染病时，组长上报主管并安排其下线；主管决定是否消毒，10分钟内评估接通率并调配人员。',
      en: 'When someone on the floor is injured or has an infectious disease, the shift leader reports it and takes them off the line; the supervisor decides on disinfection and within 10 min assesses the answer rate and re-staffs.',
    },
    trigger: {
      'zh-CN': '现场人员突发工伤事故或传染性疾病',
      en: 'Someone on the floor is injured at work or comes down with an infectious disease.',
    },
    keywords: {
      'zh-CN': ['工伤', '受伤', '事故', '传染病', '生病', '消毒', '接通率', '送医'],
      en: ['injury', 'accident', 'illness', 'infectious', 'sick', 'disinfect', 'answer rate', 'hospital'],
    },
    roles: ['shiftLeader', 'supervisor'],
    preparedness: [
      {
        'zh-CN': '呼叫中心备有常用药品、绷带等急救用品。',
        en: 'The call center keeps basic medicines, bandages and other first-aid supplies.',
      },
    ],
    steps: [
      {
        id: 'report-supervisor',
        text: { 'zh-CN': '立即向主管汇报', en: 'Report to the supervisor at once' },
        role: 'shiftLeader',
        contactId: 'call-center-supervisor',
      },
      {
        id: 'take-off-line',
        text: { 'zh-CN': '安排当事员工下线或离开工作现场', en: 'Take the person off the line or off the floor' },
        role: 'shiftLeader',
      },
      {
        id: 'decide-cleaning',
        text: { 'zh-CN': '判断是否需要清理现场并消毒', en: 'Decide whether the floor needs cleaning and disinfecting' },
        role: 'supervisor',
      },
      {
        id: 'clean-and-disinfect',
        text: { 'zh-CN': '需要时清理现场并消毒', en: 'If so, have the floor cleaned and disinfected' },
        role: 'supervisor',
      },
      {
        id: 'assess-answer-rate',
        text: { 'zh-CN': '评估人员缺少对接通率的影响', en: 'Assess how the missing staff affect the answer rate' },
        role: 'supervisor',
        deadline: {
          minutes: 10,
          from: { type: 'incidentStart' },
          kind: 'within',
          label: { 'zh-CN': '10分钟内完成接通率评估', en: 'Answer-rate assessment within 10 min' },
        },
        critical: true,
      },
      {
        id: 'restaff',
        text: { 'zh-CN': '根据话务量调配人员', en: 'Re-staff to match the call volume' },
        role: 'supervisor',
      },
      {
        id: 'notify-leaders',
        text: { 'zh-CN': '涉及2人及以上时，通知中心领导', en: "If two or more people are involved, tell the center's leaders" },
        role: 'supervisor',
        contactId: 'center-manager',
      },
      {
        id: 'serious-report',
        text: { 'zh-CN': '严重事故立即报告上级领导，决定是否送医', en: 'Report any serious case to your superiors at once; they decide on hospital' },
        detail: {
          'zh-CN': '现场备有常用药品和绷带，可先做简单处理。',
          en: 'Basic medicines and bandages are kept on site for first aid meanwhile.',
        },
        role: 'supervisor',
        contactId: 'center-manager',
        critical: true,
      },
    ],
    records: ['incidentReport'],
  },
  {
    id: 'C7',
    version: 1,
    category: 'callCenter',
    title: { 'zh-CN': '紧急网络故障和信息系统失灵', en: 'Network emergency and information system failure' },
    summary: {
      'zh-CN': '通过来电第一时间收集网络异常，由运维专员反馈责任部门；服务器或网络设备失灵时用手工记录表记录；数据每周备份。',
      en: 'Collect network problems from incoming calls at once and have the ops specialist pass them to the responsible department; if servers or network equipment fail, record customers on the manual record form. Data is backed up weekly.',
    },
    trigger: {
      'zh-CN': '网络异常，或信息系统失灵、中断，无法执行主要功能',
      en: 'The network behaves abnormally, or an information system fails or stops and cannot do its main job.',
    },
    keywords: {
      'zh-CN': ['网络', '断网', '服务器', '死机', '文件服务器', '信息系统', '数据丢失', '备份'],
      en: ['network', 'server', 'crash', 'file server', 'information system', 'data loss', 'backup', 'down'],
    },
    roles: ['agent', 'opsSpecialist'],
    preparedness: [
      {
        'zh-CN': '所有数据每周定期备份，减少数据丢失的损失。',
        en: 'All data is backed up every week, to limit what can be lost.',
      },
    ],
    steps: [
      {
        id: 'collect-anomalies',
        text: { 'zh-CN': '第一时间从客户来电中收集网络异常情况', en: 'Straight away, collect the network problems customers report on their calls' },
        detail: {
          'zh-CN': '汇总给系统运维专员。',
          en: 'Pass them to the ops specialist.',
        },
        role: 'agent',
      },
      {
        id: 'forward-to-department',
        text: { 'zh-CN': '反馈给责任部门检查处理', en: 'Pass them to the responsible department to check and fix' },
        role: 'opsSpecialist',
      },
      {
        id: 'manual-record',
        text: { 'zh-CN': '服务器或网络设备失灵时，用手工记录表记录客户信息', en: "If servers or network equipment are down, record customers' details on the manual record form" },
        role: 'agent',
        records: ['callRecord'],
        critical: true,
      },
      {
        id: 'restore-from-backup',
        text: { 'zh-CN': '数据库受损时，用最近的每周备份恢复', en: 'If the database is damaged, restore it from the latest weekly backup' },
        detail: {
          'zh-CN': '数据量大时压缩可能丢失数据，定期备份可减少损失。',
          en: 'Compressing large amounts of data can lose some; regular backups limit the loss.',
        },
        role: 'opsSpecialist',
      },
    ],
    records: ['callRecord', 'incidentReport'],
  },
  {
    id: 'C8',
    version: 1,
    category: 'callCenter',
    title: { 'zh-CN': '呼入量异常增长', en: 'Abnormal surge of incoming calls' },
    summary: {
      'zh-CN': '分三级支持：一级全体座席员统一指挥接听；30分钟仍未控制启动二级，召回候补人员；再过30分钟启动三级，联络职能人员。',
      en: 'Three levels of support: at level 1 every agent takes calls under one command; if still not under control after 30 min, level 2 calls in standby staff; 30 min later, level 3 calls in functional staff.',
    },
    trigger: {
      'zh-CN': '呼入量异常增长，远超正常水平',
      en: 'Incoming calls rise far above normal.',
    },
    keywords: {
      'zh-CN': ['呼入量', '话务量', '来电激增', '排队', '高峰', '爆线', '增援'],
      en: ['call surge', 'surge', 'call volume', 'queue', 'peak', 'spike', 'backup staff'],
    },
    roles: ['supervisor', 'centerManager'],
    levels: [
      {
        id: 'level-1',
        level: 1,
        title: { 'zh-CN': '一级支持', en: 'Level 1 support' },
        text: { 'zh-CN': '中心所有座席员在统一指挥下投入接听', en: 'Every agent in the center takes calls under one command' },
      },
      {
        id: 'level-2',
        level: 2,
        title: { 'zh-CN': '二级支持', en: 'Level 2 support' },
        text: {
          'zh-CN': '一级支持后仍未有效控制并持续30分钟以上：联络候补人员（如休假员工）迅速到位',
          en: 'Still not under control 30 min after level 1: call in standby staff, such as people on leave',
        },
        deadline: {
          minutes: 30,
          from: { type: 'level', levelId: 'level-1' },
          kind: 'escalateAfter',
          label: { 'zh-CN': '一级支持30分钟后仍未控制', en: 'Not under control 30 min after level 1' },
        },
      },
      {
        id: 'level-3',
        level: 3,
        title: { 'zh-CN': '三级支持', en: 'Level 3 support' },
        text: {
          'zh-CN': '二级支持后仍未有效控制并持续30分钟以上：联络职能人员，按事态启动应急方案',
          en: 'Still not under control 30 min after level 2: call in functional staff and start the wider emergency plan as the situation requires',
        },
        deadline: {
          minutes: 30,
          from: { type: 'level', levelId: 'level-2' },
          kind: 'escalateAfter',
          label: { 'zh-CN': '二级支持30分钟后仍未控制', en: 'Not under control 30 min after level 2' },
        },
      },
    ],
    steps: [
      {
        id: 'level-1-all-agents',
        text: { 'zh-CN': '启动一级支持：全体座席员统一指挥投入接听', en: 'Start level 1: every agent takes calls under one command' },
        role: 'supervisor',
        levelId: 'level-1',
        critical: true,
      },
      {
        id: 'level-2-standby-staff',
        text: { 'zh-CN': '启动二级支持：联络候补人员迅速到位', en: 'Start level 2: call in standby staff' },
        detail: {
          'zh-CN': '例如正在休假的员工。',
          en: 'For example, staff who are off or on leave.',
        },
        role: 'supervisor',
        levelId: 'level-2',
      },
      {
        id: 'level-3-functional-staff',
        text: { 'zh-CN': '启动三级支持：联络职能人员，启动应急方案', en: 'Start level 3: call in functional staff and start the wider plan' },
        detail: {
          'zh-CN': '例如管理处客服助理；按事态程度启动应急方案。',
          en: 'For example, customer service assistants of the management office; scale the plan to the situation.',
        },
        role: 'centerManager',
        levelId: 'level-3',
      },
    ],
    records: ['incidentReport'],
  },
  {
    id: 'C9',
    version: 1,
    category: 'callCenter',
    title: { 'zh-CN': '媒体采访等公共危机', en: 'Media and public crisis' },
    summary: {
      'zh-CN': '媒体到现场采访时第一时间告知中心领导；未经允许不接受采访，礼貌谢绝入内；获准时由指定发言人按统一口径回答。',
      en: "When reporters arrive, tell the center's leaders at once. No interview without permission and no entry, politely; if allowed, one appointed spokesperson answers with the agreed wording.",
    },
    trigger: {
      'zh-CN': '媒体记者到呼叫中心现场采访或拍摄',
      en: 'Reporters come to the call center to interview or film.',
    },
    keywords: {
      'zh-CN': ['媒体', '记者', '采访', '拍摄', '公共危机', '舆情', '发言人'],
      en: ['media', 'press', 'reporter', 'journalist', 'interview', 'filming', 'camera', 'public crisis', 'spokesperson'],
    },
    roles: ['allStaff', 'centerManager', 'spokesperson'],
    steps: [
      {
        id: 'tell-leaders',
        text: { 'zh-CN': '第一时间告知中心领导', en: "Tell the center's leaders at once" },
        role: 'allStaff',
        contactId: 'center-manager',
        records: ['mediaContact'],
        critical: true,
      },
      {
        id: 'no-interview',
        text: { 'zh-CN': '未经领导允许，不接受任何采访', en: "Give no interview without the leaders' permission" },
        role: 'allStaff',
        critical: true,
      },
      {
        id: 'decline-entry',
        text: { 'zh-CN': '礼貌谢绝记者入内拍摄', en: 'Politely refuse reporters entry to film' },
        role: 'allStaff',
      },
      {
        id: 'avoid-conflict',
        text: { 'zh-CN': '全程礼貌委婉，避免言语或肢体冲突', en: 'Stay polite throughout; avoid any verbal or physical clash' },
        role: 'allStaff',
        critical: true,
      },
      {
        id: 'appoint-spokesperson',
        text: { 'zh-CN': '获准接受采访时，指定一名发言人', en: 'If an interview is allowed, appoint one spokesperson' },
        detail: {
          'zh-CN': '须经联网中心同意。',
          en: 'Only with the networked center’s approval.',
        },
        role: 'centerManager',
      },
      {
        id: 'answer-with-wording',
        text: { 'zh-CN': '按统一口径回答', en: 'Answer with the agreed wording' },
        role: 'spokesperson',
        records: ['mediaContact'],
      },
      {
        id: 'nobody-else-speaks',
        text: { 'zh-CN': '其他人不得接受采访或对外传播信息', en: 'Nobody else gives interviews or passes information outside' },
        role: 'allStaff',
        critical: true,
      },
    ],
    records: ['mediaContact', 'incidentReport'],
  },
] satisfies PlaybookInput[]
