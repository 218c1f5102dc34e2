// The desk's words in Simplified Chinese (the default) and English, written for registrars at a
// community desk. The choice is kept in localStorage (a preference, nothing personal).

const STRINGS = {
  zh: {
    title: '一卡通 · 登记台',
    signInTitle: '工作人员登录',
    user: '工作人员姓名',
    passphrase: '口令',
    signIn: '登录',
    lock: '锁定',
    signedInAs: '当前工作人员：',
    registrar: '登记员',
    supervisor: '主管',
    locked: '登记台已锁定，请重新登录。',
    newChild: '新登记（Alt+N）',
    registerTitle: '新登记',
    idNumberHint: '填写后自动填出生日期和性别',
    areaHint: '6 位行政区划代码，如 440306',
    guardianName: '监护人姓名',
    guardianRelation: '与儿童关系',
    guardianPhone: '监护人电话',
    consentDate: '监护人同意日期',
    consentHint: '由上面的监护人签署知情同意书',
    save: '保存登记（Enter）',
    cancel: '取消',
    registered: '已登记，儿童编号 {id}。',
    searchLabel: '查找儿童',
    searchHint: '姓名、拼音或身份证号（快捷键 /）',
    search: '查找',
    results: '查找结果',
    nothingFound: '没有找到。',
    childId: '儿童编号',
    name: '姓名',
    sex: '性别',
    birthDate: '出生日期',
    idNumber: '身份证号',
    hukouArea: '户籍地',
    residenceArea: '现居住地',
    residenceAddress: '现住址',
    category: '类别',
    guardians: '监护人',
    school: '就学',
    consent: '知情同意',
    cardSerial: '卡号',
    doses: '预防接种',
    referrals: '转介',
    noReferrals: '没有转介。',
    dosesDone: '已种',
    dosesDue: '应种',
    dosesOverdue: '逾期未种',
    none: '无',
    closed: '该儿童已满 18 岁，记录已于 {d} 关闭，不再显示。',
    male: '男',
    female: '女',
    father: '父亲',
    mother: '母亲',
    grandparent: '祖父母',
    other: '其他',
    migrant: '流动儿童',
    left_behind: '留守儿童',
    timeout: '登记台程序在 {s} 秒内没有应答，请稍后重试。',
    network: '无法连接登记台程序：它可能已经退出，请重新运行 onecard-terminal desk。',
    cardRead: '已读卡：卡号 {serial}，由终端 {signer} 签发，签名有效。',
    cardImported: '本终端以前没有这名儿童，已从卡中导入。',
    cardClosed: '卡号 {serial}：该儿童已满 18 岁，记录已于 {d} 关闭。',
    cardLocked: '读卡器中有卡，但登记台已锁定：请登录后重新插卡。',
    cardRemoved: '卡已取出。',
    readerGone: '读卡器不可用：{message}',
  },
  en: {
    title: 'OneCard · Registration desk',
    signInTitle: 'Staff sign-in',
    user: 'Staff name',
    passphrase: 'Passphrase',
    signIn: 'Sign in',
    lock: 'Lock',
    signedInAs: 'Signed in: ',
    registrar: 'registrar',
    supervisor: 'supervisor',
    locked: 'The desk is locked. Sign in again.',
    newChild: 'New registration (Alt+N)',
    registerTitle: 'New registration',
    idNumberHint: 'Fills in the date of birth and sex',
    areaHint: '6-digit area code, e.g. 440306',
    guardianName: "Guardian's name",
    guardianRelation: 'Relation to the child',
    guardianPhone: "Guardian's phone",
    consentDate: "Guardian's consent given on",
    consentHint: 'Signed by the guardian above',
    save: 'Save (Enter)',
    cancel: 'Cancel',
    registered: 'Registered: child ID {id}.',
    searchLabel: 'Find a child',
    searchHint: 'Name, pinyin or ID number (shortcut /)',
    search: 'Search',
    results: 'Results',
    nothingFound: 'Nothing found.',
    childId: 'Child ID',
    name: 'Name',
    sex: 'Sex',
    birthDate: 'Date of birth',
    idNumber: 'ID number',
    hukouArea: 'Household registration',
    residenceArea: 'Lives in',
    residenceAddress: 'Address',
    category: 'Category',
    guardians: 'Guardians',
    school: 'School',
    consent: 'Consent',
    cardSerial: 'Card serial',
    doses: 'Immunizations',
    referrals: 'Referrals',
    noReferrals: 'No referrals.',
    dosesDone: 'Done',
    dosesDue: 'Due',
    dosesOverdue: 'Overdue',
    none: 'none',
    closed: 'This child is 18 or older: the record closed on {d} and is no longer shown.',
    male: 'male',
    female: 'female',
    father: 'father',
    mother: 'mother',
    grandparent: 'grandparent',
    other: 'other',
    migrant: 'migrant',
    left_behind: 'left-behind',
    timeout: 'The desk program did not answer within {s} s. Try again shortly.',
    network: 'Cannot reach the desk program: it may have stopped. Run onecard-terminal desk again.',
    cardRead: 'Card read: serial {serial}, signed by terminal {signer}; the signature is valid.',
    cardImported: 'This terminal did not hold this child before: imported from the card.',
    cardClosed: 'Card {serial}: this child is 18 or older; the record closed on {d}.',
    cardLocked: 'A card is in the reader but the desk is locked: sign in and insert it again.',
    cardRemoved: 'The card was taken out.',
    readerGone: 'The card reader is not available: {message}',
  },
};

let language = localStorage.getItem('onecard-desk-language') === 'en' ? 'en' : 'zh';

export function currentLanguage() {
  return language;
}

export function setLanguage(next) {
  language = next === 'en' ? 'en' : 'zh';
  localStorage.setItem('onecard-desk-language', language);
}

// The string `key` in the current language, with {name} placeholders filled from `values`.
export function t(key, values = {}) {
  const text = STRINGS[language][key] ?? STRINGS.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

// Writes the current language into every element marked data-i18n / data-i18n-placeholder.
export function translatePage() {
  document.documentElement.lang = language === 'en' ? 'en' : 'zh-CN';
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
  const toggle = document.getElementById('language');
  toggle.textContent = language === 'en' ? '中文' : 'English';
  toggle.lang = language === 'en' ? 'zh-CN' : 'en';
}
