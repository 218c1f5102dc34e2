// The dashboard's words in Simplified Chinese (the default) and English. The choice is kept in
// localStorage, so it persists across visits and sign-ins. Labels are the words officials use
// (流动儿童, not "migrant"); the API's codes never reach the page.

const STRINGS = {
  zh: {
    title: '一卡通 · 儿童登记统计',
    signInTitle: '官员登录',
    user: '用户名',
    password: '口令',
    totp: '动态验证码（6 位）',
    signIn: '登录',
    signOut: '退出登录',
    signedInAs: '已登录：',
    asOf: '截至',
    wrongPassword: '用户名或口令错误。',
    totpNeeded: '此账户需要动态验证码：请输入验证器上的 6 位数字。',
    totpWrong: '动态验证码错误或已用过，请输入新的验证码。',
    rateLimited: '登录失败次数过多，请在 {s} 秒后再试。',
    locked: '账户已被暂时锁定，请在 {s} 秒后再试（约 {m} 分钟）。',
    expired: '会话已过期，请重新登录。',
    signedOut: '已退出登录。',
    outside: '此地区不在您的管辖范围内，无法查看。',
    timeout: '服务器在 {s} 秒内没有应答，请稍后重试。',
    network: '无法连接服务器，请检查网络后重试。',
    serverError: '服务器出错（{status}）：{message}',
    loading: '正在加载…',
    allChina: '全国',
    subareas: '下级地区',
    subareasHint: '选择一个地区查看详情',
    registered: '登记儿童',
    showTable: '显示表格',
    showChart: '显示图表',
    downloadCsv: '下载 CSV',
    total: '合计',
    count: '人数',
    suppressedNote: '“<5”表示人数少于 5，为保护儿童隐私不公布。',
    panelCategory: '登记儿童（按类别）',
    panelSex: '性别',
    panelAge: '年龄段',
    panelVaccination: '疫苗接种',
    panelSchoolStatus: '在学状态',
    panelSchoolStage: '学段',
    panelFlows: '迁入与迁出（近 12 个月）',
    panelFlowTrend: '迁入与迁出（按月）',
    panelReferrals: '转介结果与项目目标',
    panelReferralTrend: '转介数（按月）',
    panelCoverage: '登记覆盖率',
    panelLivingElsewhere: '户籍在本地、现居外地的儿童（按现居住地）',
    livesIn: '现居住地',
    movedIn: '迁入',
    movedOut: '迁出',
    fromArea: '迁出地',
    toArea: '迁入地',
    month: '月份',
    service: '服务',
    referrals: '转介数',
    completedShare: '完成比例',
    effective: '有效（完成 ≥ 50%）',
    inappropriateShare: '因转介不当拒绝比例',
    appropriate: '适当（1 − 不当 ≥ 95%）',
    appropriateShare: '适当比例（1 − 不当）',
    effectiveTarget: '完成目标 50%',
    appropriateTarget: '适当目标 95%',
    notPublished: '未公布',
    sharesWithheld: '完成或因转介不当被拒绝的转介少于 5 件时，该比例不公布（图中标为“未公布”，表中为“—”）。',
    meets: '达标',
    misses: '未达标',
    notKnown: '无法判断',
    area: '地区',
    category: '类别',
    estimate: '估计人数',
    source: '估计来源',
    coverage: '覆盖率',
    noData: '暂无数据',
    unknown: '未知',
    yearsSuffix: '岁',
  },
  en: {
    title: 'OneCard · Children registered',
    signInTitle: "Officials' sign-in",
    user: 'User name',
    password: 'Password',
    totp: 'One-time code (6 digits)',
    signIn: 'Sign in',
    signOut: 'Sign out',
    signedInAs: 'Signed in: ',
    asOf: 'As of',
    wrongPassword: 'Wrong user name or password.',
    totpNeeded: 'This account needs a one-time code: enter the 6 digits from your authenticator.',
    totpWrong: 'The one-time code is wrong or was used already: enter a new one.',
    rateLimited: 'Too many failed sign-ins: try again in {s} seconds.',
    locked: 'The account is locked for now: try again in {s} seconds (about {m} minutes).',
    expired: 'Your session has expired: please sign in again.',
    signedOut: 'You have signed out.',
    outside: 'This area is outside your jurisdiction, so it cannot be shown.',
    timeout: 'The server did not answer within {s} seconds: please try again later.',
    network: 'Cannot reach the server: check the network and try again.',
    serverError: 'Server error ({status}): {message}',
    loading: 'Loading…',
    allChina: 'China',
    subareas: 'Areas below',
    subareasHint: 'Choose an area for its details',
    registered: 'Children registered',
    showTable: 'Show table',
    showChart: 'Show chart',
    downloadCsv: 'Download CSV',
    total: 'Total',
    count: 'Children',
    suppressedNote: '"<5" means fewer than 5 children: not published, to protect their privacy.',
    panelCategory: 'Children registered, by category',
    panelSex: 'Sex',
    panelAge: 'Age band',
    panelVaccination: 'Vaccination',
    panelSchoolStatus: 'School status',
    panelSchoolStage: 'School stage',
    panelFlows: 'Moved in and out (last 12 months)',
    panelFlowTrend: 'Moved in and out, by month',
    panelReferrals: 'Referral outcomes against the programme targets',
    panelReferralTrend: 'Referrals, by month',
    panelCoverage: 'Coverage of registration',
    panelLivingElsewhere: 'Children of this hukou area living elsewhere, by where they live',
    livesIn: 'Lives in',
    movedIn: 'Moved in',
    movedOut: 'Moved out',
    fromArea: 'From',
    toArea: 'To',
    month: 'Month',
    service: 'Service',
    referrals: 'Referrals',
    completedShare: 'Completed',
    effective: 'Effective (completed ≥ 50%)',
    inappropriateShare: 'Declined as inappropriate',
    appropriate: 'Appropriate (1 − inappropriate ≥ 95%)',
    appropriateShare: 'Appropriate (1 − inappropriate)',
    effectiveTarget: 'Completed target 50%',
    appropriateTarget: 'Appropriate target 95%',
    notPublished: 'Not published',
    sharesWithheld:
      'A share is not published when fewer than 5 referrals were completed (or declined as inappropriate): "Not published" in the chart, "—" in the table.',
    meets: 'Meets target',
    misses: 'Below target',
    notKnown: 'Cannot tell',
    area: 'Area',
    category: 'Category',
    estimate: 'Estimate',
    source: 'Source of estimate',
    coverage: 'Coverage',
    noData: 'No data yet',
    unknown: 'Unknown',
    yearsSuffix: ' years',
  },
};

// Labels of the API's dimension values.
const VALUES = {
  zh: {
    'category/migrant': '流动儿童',
    'category/left_behind': '留守儿童',
    'category/other': '其他儿童',
    'category/all': '全部儿童',
    'sex/M': '男',
    'sex/F': '女',
    'school_status/enrolled': '在学',
    'school_status/not_enrolled': '未入学',
    'school_status/dropped_out': '辍学',
    'school_stage/preschool': '幼儿园',
    'school_stage/primary': '小学',
    'school_stage/junior': '初中',
    'school_stage/senior': '高中',
    'school_stage/vocational': '中职',
    'vaccination/up_to_date': '按时接种',
    'vaccination/overdue': '逾期未种',
    'service/education': '教育',
    'service/health': '卫生健康',
    'service/protection': '儿童保护',
    'service/legal_aid': '法律援助',
    'service/social_assistance': '社会救助',
  },
  en: {
    'category/migrant': 'Migrant children',
    'category/left_behind': 'Left-behind children',
    'category/other': 'Other children',
    'category/all': 'All children',
    'sex/M': 'Boys',
    'sex/F': 'Girls',
    'school_status/enrolled': 'In school',
    'school_status/not_enrolled': 'Not enrolled',
    'school_status/dropped_out': 'Dropped out',
    'school_stage/preschool': 'Kindergarten',
    'school_stage/primary': 'Primary',
    'school_stage/junior': 'Junior secondary',
    'school_stage/senior': 'Senior secondary',
    'school_stage/vocational': 'Vocational secondary',
    'vaccination/up_to_date': 'Up to date',
    'vaccination/overdue': 'Overdue',
    'service/education': 'Education',
    'service/health': 'Health',
    'service/protection': 'Child protection',
    'service/legal_aid': 'Legal aid',
    'service/social_assistance': 'Social assistance',
  },
};

const STORAGE_KEY = 'onecard.dashboard.language';
let language = localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';

export function currentLanguage() {
  return language;
}

export function setLanguage(next) {
  language = next === 'en' ? 'en' : 'zh';
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language === 'en' ? 'en' : 'zh-CN';
}

// The string `key`, with {name} placeholders filled from `values`.
export function t(key, values = {}) {
  const text = STRINGS[language][key] ?? STRINGS.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

// The label of value `value` of dimension `dimension` ("category", "migrant" → 流动儿童).
export function valueLabel(dimension, value) {
  if (value === 'unknown' || value === null || value === undefined) return t('unknown');
  const label = VALUES[language][`${dimension}/${value}`];
  if (label) return label;
  if (dimension === 'age_band') return `${value}${t('yearsSuffix')}`;
  return String(value);
}

// Where value `value` of `dimension` comes in a chart or table: the order of VALUES (in school
// order: 幼儿园, 小学, 初中 …), age bands by their first year, anything unlisted after, "unknown" last.
export function valueRank(dimension, value) {
  if (value === 'unknown' || value === null || value === undefined) return Number.MAX_SAFE_INTEGER;
  if (dimension === 'age_band') return parseInt(value, 10);
  const rank = Object.keys(VALUES.zh).indexOf(`${dimension}/${value}`);
  return rank >= 0 ? rank : Number.MAX_SAFE_INTEGER - 1;
}

// Every element with data-i18n="key" gets the key's text.
export function translatePage() {
  for (const element of document.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  document.title = t('title');
}
