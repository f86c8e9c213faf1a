import type { PlaybookInput, StepInput } from '../playbook'

/**
 * The service hall's emergency plans (source: 客服中心应急处理预案, section 4, plans 1 to 10).
 * Sections 1 to 3 of the source apply to every hall plan: report to the emergency leadership group
 * promptly and truthfully, and afterwards analyse, rectify and send the summary to the security
 * supervision department. Those two rules end every plan below as steps of their own.
 */

/** Section 3.2 and 3.3 of the source: the prompt, truthful report with its seven contents. */
function reportToLeadership(): StepInput {
  return {
    id: 'report-leadership',
    text: { 'zh-CN': '及时如实向应急处理领导小组报告', en: 'Report to the emergency leadership group, promptly and truthfully' },
    detail: {
      'zh-CN':
        '不得拖延，不得误报、谎报。报告写明：大厅名称和地点；发生时间；事件类型；影响和危害程度（财产、资金、凭证损失，人员伤亡，影响范围）；已采取的措施和控制情况；发展趋势、潜在损失和下一步措施；其他有关情况。',
      en: 'No delay, no false or mistaken report. Include: hall name and location; time; type of incident; impact and harm (loss of property, funds and vouchers, casualties, scope); measures taken and how far it is under control; likely development, potential losses and next measures; anything else relevant.',
    },
    role: 'hallHead',
    contactId: 'leadership-office',
    records: ['incidentReport'],
  }
}

/** Section 3.4 and 3.5 of the source: analysis and summary, rectification, archive. */
function afterActionReview(): StepInput {
  return {
    id: 'after-action-review',
    text: { 'zh-CN': '事后分析总结，落实整改', en: 'Afterwards, analyse what happened and carry out rectification' },
    detail: {
      'zh-CN': '总结写明原因、经过和处理措施，针对问题和漏洞及时整改；总结材料报安全监察部经理，报告和总结存档。',
      en: 'Cover the cause, the course of events and the measures taken, and fix the problems and gaps found. Send the summary to the security supervision department manager; file the report and the summary.',
    },
    role: 'hallHead',
    contactId: 'security-supervision-manager',
    records: ['incidentReport'],
  }
}

/** Keep the CCTV footage as the rules require (plans 5 to 9). */
function keepFootage(): StepInput {
  return {
    id: 'keep-footage',
    text: { 'zh-CN': '按规定保存监控录像备查', en: 'Keep the CCTV footage as the rules require' },
    role: 'hallHead',
    records: ['cctvNote'],
  }
}

export const SERVICE_HALL_PLAYBOOKS = [
  {
    id: 'H1',
    version: 1,
    category: 'serviceHall',
    title: { 'zh-CN': '客流或业务量激增', en: 'Surge of customers or business' },
    summary: {
      'zh-CN': '客流或业务量超出正常受理能力时，增开窗口、维持秩序、查明原因，必要时请求增援。',
      en: 'When more customers or transactions arrive than the hall can normally handle: open more counters, keep order, find the cause and ask for reinforcements if needed.',
    },
    trigger: {
      'zh-CN': '大厅客流或业务量激增，超过正常受理能力',
      en: "Customers or transactions rise sharply beyond the hall's normal capacity.",
    },
    keywords: {
      'zh-CN': ['客流', '业务量', '激增', '排队', '人多', '拥挤'],
      en: ['surge', 'queue', 'crowd', 'busy', 'volume', 'overcrowded'],
    },
    roles: ['hallHead', 'supervisor', 'hallStaff', 'security'],
    steps: [
      {
        id: 'open-counters',
        text: { 'zh-CN': '视情况增开服务窗口', en: 'Open more counters as needed' },
        role: 'hallHead',
      },
      {
        id: 'extend-hours',
        text: { 'zh-CN': '视情况延长服务时间', en: 'Extend opening hours as needed' },
        role: 'hallHead',
      },
      {
        id: 'keep-order',
        text: { 'zh-CN': '维持大厅秩序，引导客户有序排队', en: 'Keep order in the hall and guide customers into orderly queues' },
        detail: {
          'zh-CN': '大厅主管、安保人员和相关负责人共同负责。',
          en: 'The hall supervisor, security and the staff in charge share this.',
        },
        role: 'supervisor',
      },
      {
        id: 'find-cause',
        text: { 'zh-CN': '查明客流或业务量激增的原因', en: 'Find out why the numbers have surged' },
        role: 'hallHead',
      },
      {
        id: 'watch-vulnerable',
        text: { 'zh-CN': '照看老弱病残客户，防止拥挤受伤', en: 'Look after elderly, sick and disabled customers so no one is hurt in the crowd' },
        role: 'hallStaff',
      },
      {
        id: 'request-reinforcements',
        text: { 'zh-CN': '视情况请上级增派安保和客服人员', en: 'If needed, ask your superiors for extra security and service staff' },
        role: 'hallHead',
        contactId: 'center-manager',
      },
      reportToLeadership(),
      afterActionReview(),
    ],
    records: ['incidentReport'],
  },
  {
    id: 'H2',
    version: 1,
    category: 'serviceHall',
    title: { 'zh-CN': '业务系统故障', en: 'Business system failure' },
    summary: {
      'zh-CN': '业务系统故障、大厅业务无法办理时，联系电脑维护合作单位，按统一口径向客户解释，登记客户电话，恢复后通知。',
      en: 'When a system failure stops the counters: call the IT maintenance partner, explain to customers with the agreed wording, take their numbers and call them when service is back.',
    },
    trigger: {
      'zh-CN': '客服业务系统故障，大厅全部或部分业务无法办理',
      en: "A business system failure stops all or part of the hall's services.",
    },
    keywords: {
      'zh-CN': ['系统故障', '业务系统', '死机', '宕机', '无法办理', '电脑'],
      en: ['system failure', 'system down', 'outage', 'IT', 'computer', 'cannot process'],
    },
    roles: ['hallStaff', 'hallHead'],
    steps: [
      {
        id: 'contact-it-partner',
        text: { 'zh-CN': '立即联系电脑维护合作单位', en: 'Call the IT maintenance partner at once' },
        detail: {
          'zh-CN': '问清故障情况和恢复服务的时间。',
          en: 'Find out what the fault is and when service will be back.',
        },
        role: 'hallStaff',
        contactId: 'it-partner',
        critical: true,
      },
      {
        id: 'report-head',
        text: { 'zh-CN': '向大厅负责人汇报故障和恢复时间', en: 'Tell the head of the hall about the fault and the expected recovery time' },
        role: 'hallStaff',
        contactId: 'hall-head',
      },
      {
        id: 'set-wording',
        text: { 'zh-CN': '根据实际情况拟定对外统一口径', en: 'Set the agreed wording for customers' },
        role: 'hallHead',
      },
      {
        id: 'explain-to-customers',
        text: { 'zh-CN': '按统一口径耐心解释，取得客户谅解', en: 'Explain patiently with the agreed wording and ask for their understanding' },
        role: 'hallStaff',
      },
      {
        id: 'tell-recovery-time',
        text: { 'zh-CN': '告知客户确定的恢复时间', en: 'Tell customers when service will be back, if the time is certain' },
        role: 'hallStaff',
      },
      {
        id: 'take-phone-numbers',
        text: { 'zh-CN': '恢复时间不确定时，登记客户联系电话', en: "If the time is uncertain, take customers' phone numbers" },
        role: 'hallStaff',
        records: ['callbackList'],
      },
      {
        id: 'notify-customers',
        text: { 'zh-CN': '恢复服务后，及时电话通知登记的客户', en: 'Once service is back, call every customer on the list' },
        role: 'hallStaff',
        records: ['callbackList'],
      },
      reportToLeadership(),
      afterActionReview(),
    ],
    records: ['callbackList', 'incidentReport'],
  },
  {
    id: 'H3',
    // 2: the roll-call step (issue 5); a server already holding version 1 seeds this one at start.
    version: 2,
    category: 'serviceHall',
    title: { 'zh-CN': '抢劫', en: 'Robbery' },
    summary: {
      'zh-CN': '遭遇抢劫时先保人身安全，再锁好现金；按歹徒持枪、爆炸物或催泪毒气分别处置。',
      en: 'In a robbery your safety comes first, then lock the cash away; what to do depends on whether the robbers have a gun, explosives or tear gas.',
    },
    trigger: { 'zh-CN': '服务大厅遭遇抢劫', en: 'The hall is being robbed.' },
    keywords: {
      'zh-CN': ['抢劫', '歹徒', '劫匪', '持枪', '枪', '爆炸物', '炸弹', '催泪', '毒气', '人质'],
      en: ['robbery', 'robber', 'gun', 'firearm', 'explosive', 'bomb', 'tear gas', 'gas', 'hostage'],
    },
    roles: ['hallStaff', 'allStaff', 'hallHead'],
    variants: [
      {
        id: 'firearm',
        title: { 'zh-CN': '歹徒持枪抢劫', en: 'Robbers with a firearm' },
      },
      {
        id: 'explosive',
        title: { 'zh-CN': '歹徒用爆炸物威胁', en: 'Robbers threatening with explosives' },
      },
      {
        id: 'tear-gas',
        title: { 'zh-CN': '歹徒使用催泪毒气', en: 'Robbers using tear gas' },
        description: {
          'zh-CN': '闻到异味或毒气时选此项。',
          en: 'Choose this when you smell gas or a strange odour.',
        },
      },
    ],
    steps: [
      {
        id: 'firearm-stay-calm',
        text: { 'zh-CN': '保持镇静，先确保人身安全', en: 'Stay calm: your safety comes first' },
        role: 'hallStaff',
        variantIds: ['firearm'],
        critical: true,
      },
      {
        id: 'firearm-lock-cash',
        text: { 'zh-CN': '迅速收拢现金，锁好柜台保险柜', en: 'Gather the cash quickly and lock the counter safe' },
        role: 'hallStaff',
        variantIds: ['firearm'],
      },
      {
        id: 'firearm-scramble-code',
        text: { 'zh-CN': '拨乱保险柜密码，藏好钥匙', en: 'Scramble the safe combination and hide the keys' },
        role: 'hallStaff',
        variantIds: ['firearm'],
      },
      {
        id: 'firearm-hide-and-call',
        text: { 'zh-CN': '躲进有安全门的卫生间，用手机拨打110', en: 'Hide in the washroom with the security door and call 110 on your mobile' },
        role: 'hallStaff',
        contactId: 'police',
        variantIds: ['firearm'],
        critical: true,
      },
      {
        id: 'firearm-others-call-police',
        text: { 'zh-CN': '其他人员发现或接报后，立即拨打110', en: 'Anyone else who sees it or hears of it: call 110 at once' },
        role: 'allStaff',
        contactId: 'police',
        variantIds: ['firearm'],
        critical: true,
      },
      {
        id: 'firearm-report-manager',
        text: { 'zh-CN': '报告客服中心经理', en: 'Report to the center manager' },
        detail: {
          'zh-CN': '保护人质安全与保护资金安全同样重要。',
          en: "Keeping hostages safe matters as much as keeping the money safe.",
        },
        role: 'allStaff',
        contactId: 'center-manager',
        variantIds: ['firearm'],
      },
      {
        id: 'firearm-no-provoking',
        text: { 'zh-CN': '没有明确指示前不要轻举妄动，不要激怒歹徒', en: 'Without clear instructions, make no sudden move and do not provoke the robbers' },
        role: 'allStaff',
        variantIds: ['firearm'],
        critical: true,
      },
      {
        id: 'firearm-stall',
        text: { 'zh-CN': '注意说话方式，缓和歹徒情绪，尽量拖延', en: 'Speak carefully to calm the robbers and stall for time' },
        detail: {
          'zh-CN': '尽量阻缓歹徒行凶，为安全解救人质争取时间。',
          en: 'Slowing them down buys time to free the hostages safely.',
        },
        role: 'allStaff',
        variantIds: ['firearm'],
      },
      {
        id: 'explosive-watch',
        text: { 'zh-CN': '注意歹徒持爆炸物的双手动作和歹徒人数', en: 'Watch the hands holding the explosive and count the robbers' },
        role: 'allStaff',
        variantIds: ['explosive'],
        critical: true,
      },
      {
        id: 'explosive-alert-colleagues',
        text: { 'zh-CN': '大声与歹徒说话，向同事传递“爆炸、抢劫”信息', en: 'Talk loudly to the robbers so colleagues hear "explosive" and "robbery"' },
        role: 'allStaff',
        variantIds: ['explosive'],
      },
      {
        id: 'explosive-lock-safe',
        text: { 'zh-CN': '确保安全时，锁好保险柜，拨乱密码，藏好钥匙', en: 'If it is safe, lock the safe, scramble the combination and hide the keys' },
        role: 'hallStaff',
        variantIds: ['explosive'],
      },
      {
        id: 'explosive-take-cover',
        text: { 'zh-CN': '可能引爆时，立即原地卧倒，双手抱头', en: 'If it may go off, drop flat where you are and cover your head with your hands' },
        role: 'allStaff',
        variantIds: ['explosive'],
        critical: true,
      },
      {
        id: 'gas-lock-cash',
        text: { 'zh-CN': '确保安全时，迅速把现金锁进保险柜', en: 'If it is safe, lock the cash in the safe quickly' },
        role: 'hallStaff',
        variantIds: ['tear-gas'],
      },
      {
        id: 'gas-leave',
        text: { 'zh-CN': '尽快离开现场', en: 'Get out as fast as you can' },
        role: 'allStaff',
        variantIds: ['tear-gas'],
        critical: true,
      },
      {
        id: 'gas-cover-face',
        text: { 'zh-CN': '无法离开时屏住呼吸，用湿毛巾捂住口鼻', en: 'If you cannot get out, hold your breath and cover your mouth and nose with a wet towel' },
        role: 'allStaff',
        variantIds: ['tear-gas'],
        critical: true,
      },
      {
        // Not a line of the source: the hostages and the people who left must all be accounted
        // for before the report to the leadership group (its "casualties" content needs the count).
        id: 'account-for-everyone',
        text: { 'zh-CN': '危险解除后，清点全部员工和客户', en: 'Once the danger is over, account for every member of staff and every customer' },
        detail: {
          'zh-CN': '逐一确认每位员工安全、受伤或失联，并告知警方失联人员。',
          en: 'Check each member of staff as safe, injured or missing, and tell the police who is missing.',
        },
        role: 'hallHead',
        records: ['rollCall'],
      },
      reportToLeadership(),
      afterActionReview(),
    ],
    records: ['rollCall', 'incidentReport'],
  },
  {
    id: 'H4',
    version: 1,
    category: 'serviceHall',
    title: { 'zh-CN': '火灾', en: 'Fire' },
    summary: {
      'zh-CN': '大厅起火时先用灭火器扑救，控制不住立即拨打119；切断电源，疏散客户，转移现金凭证，守住重点部位。',
      en: 'Fight a fire in the hall with the extinguishers; if it gets out of control call 119. Cut the power, evacuate customers, move cash and vouchers to safety and guard the key spots.',
    },
    trigger: { 'zh-CN': '服务大厅发生火灾', en: 'Fire breaks out in the hall.' },
    keywords: {
      'zh-CN': ['火灾', '着火', '失火', '火警', '冒烟', '消防', '119'],
      en: ['fire', 'smoke', 'burning', 'extinguisher', 'evacuate', '119'],
    },
    roles: ['hallStaff', 'hallHead', 'allStaff'],
    steps: [
      {
        id: 'fight-fire',
        text: { 'zh-CN': '正确使用消防器材扑救', en: 'Fight the fire with the extinguishers, used the right way' },
        role: 'hallStaff',
        critical: true,
      },
      {
        id: 'call-119',
        text: { 'zh-CN': '火势较大、无法控制时，立即拨打119', en: 'If the fire is large or out of control, call 119 at once' },
        role: 'hallStaff',
        contactId: 'fire',
        critical: true,
      },
      {
        id: 'guide-fire-engine',
        text: { 'zh-CN': '派人引导消防车到达现场', en: 'Send someone to guide the fire engine in' },
        role: 'hallHead',
      },
      {
        id: 'cut-power',
        text: { 'zh-CN': '迅速切断大厅所有电源', en: 'Cut all power to the hall' },
        role: 'hallStaff',
        critical: true,
      },
      {
        id: 'evacuate-customers',
        text: { 'zh-CN': '疏散客户', en: 'Evacuate the customers' },
        detail: {
          'zh-CN': '到达安全地点后清点人数。',
          en: 'Count everyone once you reach a safe place.',
        },
        role: 'allStaff',
        records: ['rollCall'],
        critical: true,
      },
      {
        id: 'move-valuables',
        text: { 'zh-CN': '把现金、凭证、账簿转移到安全地方', en: 'Move cash, vouchers and ledgers to a safe place' },
        role: 'hallStaff',
      },
      {
        id: 'guard-key-spots',
        text: { 'zh-CN': '调配人员，守好金库、柜台等重点部位', en: 'Assign staff to guard the vault, the counters and other key spots' },
        detail: {
          'zh-CN': '防盗、防抢。',
          en: 'Against theft and robbery during the confusion.',
        },
        role: 'hallHead',
      },
      reportToLeadership(),
      afterActionReview(),
    ],
    records: ['rollCall', 'incidentReport'],
  },
  {
    id: 'H5',
    version: 1,
    category: 'serviceHall',
    title: { 'zh-CN': '大厅遭到围攻', en: 'Hall besieged' },
    summary: {
      'zh-CN': '大厅遭到围攻时，负责人和安保到场劝解；劝解无效或出现极端行为，立即拨打110；保存监控录像。',
      en: 'When a group besieges the hall, the head of the hall and security go and talk them down; if that fails or anyone turns violent, call 110. Keep the CCTV footage.',
    },
    trigger: { 'zh-CN': '服务大厅遭到围攻', en: 'A group of people besieges the hall.' },
    keywords: {
      'zh-CN': ['围攻', '围堵', '聚集', '群体', '闹事', '打砸'],
      en: ['besieged', 'siege', 'mob', 'crowd', 'protest', 'violence'],
    },
    roles: ['hallHead', 'hallStaff', 'security'],
    steps: [
      {
        id: 'go-to-scene',
        text: { 'zh-CN': '负责人和安保人员立即到场', en: 'The head of the hall and security go to the scene at once' },
        role: 'hallHead',
        contactId: 'hall-security',
        critical: true,
      },
      {
        id: 'persuade',
        text: { 'zh-CN': '劝解疏导当事人', en: 'Talk to the people involved and calm them down' },
        detail: {
          'zh-CN': '必要时向其宣讲法律，并提出警告。',
          en: 'If needed, explain the law to them and give a warning.',
        },
        role: 'hallHead',
      },
      {
        id: 'call-police',
        text: { 'zh-CN': '劝解无效、无法正常服务时，立即拨打110', en: 'If talking fails and the hall cannot serve, call 110 at once' },
        role: 'hallHead',
        contactId: 'police',
        critical: true,
      },
      {
        id: 'warn-customers',
        text: { 'zh-CN': '提醒客户注意人身和财产安全', en: 'Remind customers to look after their safety and belongings' },
        role: 'hallStaff',
      },
      {
        id: 'extreme-call-police',
        text: { 'zh-CN': '有打砸抢等极端行为或苗头，立即拨打110', en: 'At any sign of smashing, grabbing or other violence, call 110 at once' },
        role: 'hallHead',
        contactId: 'police',
        critical: true,
      },
      {
        id: 'extreme-report-manager',
        text: { 'zh-CN': '出现极端行为时，报告客服中心经理', en: 'Report any violence to the center manager' },
        role: 'hallHead',
        contactId: 'center-manager',
      },
      {
        ...keepFootage(),
        detail: {
          'zh-CN': '配合公安机关调查取证。',
          en: 'Help the police gather evidence.',
        },
      },
      reportToLeadership(),
      afterActionReview(),
    ],
    records: ['cctvNote', 'incidentReport'],
  },
  {
    id: 'H6',
    version: 1,
    category: 'serviceHall',
    title: { 'zh-CN': '寻衅滋事、扰乱秩序', en: 'Troublemaking and disorder' },
    summary: {
      'zh-CN': '有人滋事扰乱秩序时，安保劝离，员工了解原因并解决合理要求；制止和警告无效时拨打110。',
      en: 'When someone makes trouble, security asks them to leave while staff find out why and meet any reasonable demand; if stopping and warning them fails, call 110.',
    },
    trigger: {
      'zh-CN': '有人在大厅寻衅滋事、干扰他人、扰乱秩序',
      en: 'Someone picks a quarrel, disturbs other customers or disrupts order in the hall.',
    },
    keywords: {
      'zh-CN': ['滋事', '闹事', '寻衅', '扰乱', '吵闹', '捣乱'],
      en: ['disorder', 'disturbance', 'troublemaker', 'aggressive', 'quarrel', 'shouting'],
    },
    roles: ['security', 'hallStaff', 'hallHead'],
    steps: [
      {
        id: 'security-to-scene',
        text: { 'zh-CN': '安保人员立即到场，劝当事人离开服务区', en: 'Security goes at once and asks the person to leave the service area' },
        role: 'security',
        contactId: 'hall-security',
      },
      {
        id: 'find-cause',
        text: { 'zh-CN': '了解事发原因', en: 'Find out what set it off' },
        role: 'hallStaff',
      },
      {
        id: 'meet-demands',
        text: { 'zh-CN': '尽快妥善解决其合理要求', en: 'Settle any reasonable demand quickly and properly' },
        role: 'hallStaff',
      },
      {
        id: 'stop',
        text: { 'zh-CN': '协商未果仍干扰他人办理业务，及时制止', en: 'If talks fail and they keep disturbing other customers, stop them' },
        role: 'security',
      },
      {
        id: 'warn',
        text: { 'zh-CN': '劝说无效，给予适当警告', en: 'If they will not listen, give them a proper warning' },
        role: 'security',
      },
      {
        id: 'call-police',
        text: { 'zh-CN': '警告无效，立即拨打110', en: 'If the warning is ignored, call 110 at once' },
        role: 'security',
        contactId: 'police',
        critical: true,
      },
      keepFootage(),
      reportToLeadership(),
      afterActionReview(),
    ],
    records: ['cctvNote', 'incidentReport'],
  },
  {
    id: 'H7',
    version: 1,
    category: 'serviceHall',
    title: { 'zh-CN': '客户突发疾病', en: 'Customer taken ill' },
    summary: {
      'zh-CN': '客户突发疾病时尽力帮助，病情严重立即拨打120，维持秩序，通知家属，保存监控录像。',
      en: 'When a customer is taken ill, help as far as you can; call 120 at once if it is serious, keep order, tell the family and keep the CCTV footage.',
    },
    trigger: {
      'zh-CN': '客户在大厅突发疾病或身体不适',
      en: 'A customer is suddenly taken ill or feels unwell in the hall.',
    },
    keywords: {
      'zh-CN': ['疾病', '发病', '晕倒', '昏迷', '不适', '急救', '120'],
      en: ['illness', 'ill', 'faint', 'collapse', 'unwell', 'ambulance', 'first aid', '120'],
    },
    roles: ['hallStaff', 'hallHead'],
    steps: [
      {
        id: 'help-customer',
        text: { 'zh-CN': '尽力为客户提供帮助', en: 'Help the customer as far as you can' },
        role: 'hallStaff',
      },
      {
        id: 'call-120',
        text: { 'zh-CN': '病情严重时，立即拨打120', en: 'If it is serious, call 120 at once' },
        detail: {
          'zh-CN': '病情较轻时，视情况拨打120或其他急救电话。',
          en: 'If it is milder, call 120 or another emergency number as the situation needs.',
        },
        role: 'hallStaff',
        contactId: 'ambulance',
        critical: true,
      },
      {
        id: 'keep-order',
        text: { 'zh-CN': '维持好现场秩序', en: 'Keep order around the customer' },
        role: 'hallHead',
      },
      {
        id: 'notify-family',
        text: { 'zh-CN': '设法联系客户家属或单位，及时通知', en: "Find a way to reach the customer's family or employer and tell them" },
        role: 'hallStaff',
      },
      keepFootage(),
      reportToLeadership(),
      afterActionReview(),
    ],
    records: ['cctvNote', 'incidentReport'],
  },
  {
    id: 'H8',
    version: 1,
    category: 'serviceHall',
    title: { 'zh-CN': '客户意外受伤', en: 'Customer accidentally injured' },
    summary: {
      'zh-CN': '客户在大厅意外受伤时，查看伤情并安抚；伤重拨打120，伤轻协助就医；通知家属，协商索赔，保存监控录像。',
      en: 'When a customer is hurt in the hall, check the injury and comfort them; call 120 if it is serious, help them to hospital if not. Tell the family, negotiate any claim and keep the CCTV footage.',
    },
    trigger: {
      'zh-CN': '客户在大厅遭受意外人身伤害',
      en: 'A customer is accidentally injured in the hall.',
    },
    keywords: {
      'zh-CN': ['受伤', '摔倒', '意外', '伤害', '流血', '索赔', '120'],
      en: ['injury', 'injured', 'fall', 'accident', 'hurt', 'claim', '120'],
    },
    roles: ['hallStaff', 'hallHead'],
    steps: [
      {
        id: 'check-and-comfort',
        text: { 'zh-CN': '查看伤情，安抚客户', en: 'Check the injury and comfort the customer' },
        role: 'hallStaff',
      },
      {
        id: 'call-120',
        text: { 'zh-CN': '伤势较重时，立即拨打120', en: 'If badly hurt, call 120 at once' },
        detail: {
          'zh-CN': '也可拨打其他急救电话。',
          en: 'Or another emergency number.',
        },
        role: 'hallStaff',
        contactId: 'ambulance',
        critical: true,
      },
      {
        id: 'help-to-hospital',
        text: { 'zh-CN': '伤势较轻时，协助客户到医院治疗', en: 'If lightly hurt, help the customer get to hospital' },
        role: 'hallStaff',
      },
      {
        id: 'notify-family',
        text: { 'zh-CN': '了解家属或单位联系方式，及时通知', en: "Get the family's or employer's contact details and tell them" },
        role: 'hallStaff',
      },
      {
        id: 'negotiate-claim',
        text: { 'zh-CN': '因大厅原因受伤且客户索赔时，积极协商解决', en: 'If the hall caused the injury and the customer claims, work out a settlement' },
        detail: {
          'zh-CN': '防止不良影响扩大。',
          en: 'Keep the harm to the hall’s reputation from spreading.',
        },
        role: 'hallHead',
      },
      keepFootage(),
      reportToLeadership(),
      afterActionReview(),
    ],
    records: ['cctvNote', 'incidentReport'],
  },
  {
    id: 'H9',
    version: 1,
    category: 'serviceHall',
    title: { 'zh-CN': '遗失物品', en: 'Lost property' },
    summary: {
      'zh-CN': '客户反映遗失、大厅拾到遗留物品、客户车辆在门前丢失或损坏，分别处置；拾到物品须双人清点登记，失主签字领回。',
      en: 'Three cases: a customer reports a loss, staff find something left behind, or a vehicle is lost or damaged at the door. Found items are counted and logged by two staff and handed back against the owner’s signature.',
    },
    trigger: {
      'zh-CN': '客户反映在大厅遗失物品，大厅拾到遗留物品，或客户车辆在大厅门前丢失、损坏',
      en: "A customer reports losing something in the hall, staff find an item left behind, or a customer's vehicle is lost or damaged at the door.",
    },
    keywords: {
      'zh-CN': ['遗失', '丢失', '失物', '拾到', '遗留', '认领', '车辆', '被盗', '损坏'],
      en: ['lost', 'lost property', 'found', 'left behind', 'claim', 'vehicle', 'bike', 'stolen', 'damaged'],
    },
    roles: ['hallStaff', 'hallHead'],
    variants: [
      {
        id: 'customer-reports',
        title: { 'zh-CN': '客户反映遗失物品', en: 'A customer reports a loss' },
      },
      {
        id: 'hall-finds',
        title: { 'zh-CN': '大厅拾到遗留物品', en: 'Staff find an item left behind' },
      },
      {
        id: 'vehicle',
        title: { 'zh-CN': '客户车辆在门前丢失或损坏', en: 'A vehicle lost or damaged at the door' },
      },
    ],
    steps: [
      {
        id: 'retrace',
        text: { 'zh-CN': '帮客户回忆业务办理过程', en: 'Help the customer go back over what they did in the hall' },
        role: 'hallStaff',
        variantIds: ['customer-reports'],
      },
      {
        id: 'search-counters',
        text: { 'zh-CN': '协助客户在柜台等处查找', en: 'Help search the counters and other likely places' },
        role: 'hallStaff',
        variantIds: ['customer-reports'],
      },
      {
        id: 'show-sympathy',
        text: { 'zh-CN': '确认遗失后，向客户表示同情', en: 'Once the loss is confirmed, show the customer sympathy' },
        role: 'hallStaff',
        variantIds: ['customer-reports'],
      },
      {
        id: 'decline-requests',
        text: { 'zh-CN': '婉拒赔偿或查看录像的要求，避免冲突', en: 'Politely decline requests for compensation or to see the footage; avoid any clash' },
        detail: {
          'zh-CN': '注意表达方式。',
          en: 'Choose your words with care.',
        },
        role: 'hallStaff',
        variantIds: ['customer-reports'],
      },
      {
        id: 'suggest-police-report',
        text: { 'zh-CN': '建议客户向公安机关报案', en: 'Suggest the customer report it to the police' },
        role: 'hallStaff',
        variantIds: ['customer-reports'],
      },
      {
        id: 'assist-police',
        text: { 'zh-CN': '积极配合公安机关调查取证', en: 'Cooperate fully with the police investigation' },
        detail: {
          'zh-CN': '尽最大可能挽回客户损失。',
          en: 'Do all you can to recover what the customer lost.',
        },
        role: 'hallHead',
        variantIds: ['customer-reports'],
      },
      {
        id: 'return-in-person',
        text: { 'zh-CN': '拾到物品后，主动当面归还客户', en: 'Hand the item back to the customer in person if you can' },
        role: 'hallStaff',
        variantIds: ['hall-finds'],
      },
      {
        id: 'count-and-record',
        text: { 'zh-CN': '无法当面归还时，两人在监控下清点并登记', en: 'If you cannot, two staff count the item in view of a CCTV camera and log it' },
        role: 'hallStaff',
        variantIds: ['hall-finds'],
        records: ['lostAndFound'],
        critical: true,
      },
      {
        id: 'identify-owner',
        text: { 'zh-CN': '查看当天监控录像，确认失主身份', en: "Identify the owner from the day's CCTV footage" },
        role: 'hallStaff',
        variantIds: ['hall-finds'],
      },
      {
        id: 'contact-owner',
        text: { 'zh-CN': '设法联系失主前来认领', en: 'Try to reach the owner and ask them to collect it' },
        role: 'hallStaff',
        variantIds: ['hall-finds'],
      },
      {
        id: 'store-safely',
        text: { 'zh-CN': '失主认领前妥善保管物品', en: 'Keep the item safe until the owner collects it' },
        role: 'hallHead',
        variantIds: ['hall-finds'],
        records: ['lostAndFound'],
      },
      {
        id: 'verify-and-return',
        text: { 'zh-CN': '认领时核对身份，失主签字登记后归还', en: 'When the owner comes, check their identity and hand it over once they sign the register' },
        role: 'hallStaff',
        variantIds: ['hall-finds'],
        records: ['lostAndFound'],
        critical: true,
      },
      {
        id: 'comfort-vehicle-owner',
        text: { 'zh-CN': '主动上前询问，安抚客户', en: 'Go to the customer, ask what happened and reassure them' },
        role: 'hallStaff',
        variantIds: ['vehicle'],
      },
      {
        id: 'claim-guarded',
        text: { 'zh-CN': '大厅指定专人看管的，与客户协商赔偿', en: 'If the hall had assigned someone to guard vehicles, negotiate compensation' },
        role: 'hallHead',
        variantIds: ['vehicle'],
      },
      {
        id: 'claim-unguarded',
        text: { 'zh-CN': '未指定专人看管的，婉拒赔偿并建议报案', en: 'If no one was assigned, politely decline and suggest a police report' },
        role: 'hallStaff',
        variantIds: ['vehicle'],
      },
      keepFootage(),
      reportToLeadership(),
      afterActionReview(),
    ],
    records: ['lostAndFound', 'cctvNote', 'incidentReport'],
  },
  {
    id: 'H10',
    version: 1,
    category: 'serviceHall',
    title: { 'zh-CN': '媒体采访与报道', en: 'Media interviews and reports' },
    summary: {
      'zh-CN': '大厅不擅自接受采访；出现重大失实报道后，只按上级统一口径答复客户。',
      en: 'The hall gives no interviews on its own; after a seriously false report, answer customers only with the wording agreed by your superiors.',
    },
    trigger: {
      'zh-CN': '媒体到大厅采访，或出现重大失实报道',
      en: 'Reporters come to the hall, or a seriously false report has appeared.',
    },
    keywords: {
      'zh-CN': ['媒体', '记者', '采访', '报道', '新闻', '失实', '舆情'],
      en: ['media', 'press', 'reporter', 'journalist', 'interview', 'news', 'false report'],
    },
    roles: ['hallStaff', 'hallHead'],
    steps: [
      {
        id: 'decline-interview',
        text: { 'zh-CN': '不擅自接受采访，婉言谢绝', en: 'Give no interview on your own; decline politely' },
        role: 'hallStaff',
        records: ['mediaContact'],
      },
      {
        id: 'get-wording',
        text: { 'zh-CN': '出现重大失实报道后，向上级确认统一口径', en: 'After a seriously false report, get the agreed wording from your superiors' },
        role: 'hallHead',
        contactId: 'center-manager',
      },
      {
        id: 'answer-with-wording',
        text: { 'zh-CN': '客户询问时，只按统一口径解释', en: 'When customers ask, answer only with the agreed wording' },
        detail: {
          'zh-CN': '例如：“事件正在调查中”。',
          en: 'For example: "The matter is under investigation."',
        },
        role: 'hallStaff',
      },
      reportToLeadership(),
      afterActionReview(),
    ],
    records: ['mediaContact', 'incidentReport'],
  },
] satisfies PlaybookInput[]
