// The National Immunization Programme's vaccines and doses, in words, for the desk's pages.
//
// Source: protocol/data/nip_vaccines.tsv (codes and names) and protocol/data/nip_schedule.tsv,
// version 2025 (recommended ages), themselves taken from 国家卫生健康委《国家免疫规划疫苗儿童免疫
// 程序及说明（2021年版）》(国卫疾控发〔2021〕10号) with the 2025 DTaP/DT adjustment (关于调整国家免疫
// 规划百白破疫苗和白破疫苗免疫程序的通知, in force from 2025-01-01). The backend computes what is
// done, due and overdue from that data; this copy only names doses and lists them in the form.

import { currentLanguage } from './i18n.js';

// code -> [Chinese, English]
export const VACCINES = {
  HepB: ['乙肝疫苗', 'hepatitis B'],
  BCG: ['卡介苗', 'BCG'],
  IPV: ['脊灰灭活疫苗', 'inactivated polio'],
  bOPV: ['脊灰减毒活疫苗', 'bivalent oral polio'],
  DTaP: ['百白破疫苗', 'DTaP'],
  DT: ['白破疫苗', 'DT'],
  MMR: ['麻腮风疫苗', 'measles, mumps, rubella'],
  'JE-L': ['乙脑减毒活疫苗', 'Japanese encephalitis, live'],
  'JE-I': ['乙脑灭活疫苗', 'Japanese encephalitis, inactivated'],
  'MPSV-A': ['A群流脑多糖疫苗', 'meningococcal A polysaccharide'],
  'MPSV-AC': ['A群C群流脑多糖疫苗', 'meningococcal A+C polysaccharide'],
  'HepA-L': ['甲肝减毒活疫苗', 'hepatitis A, live'],
  'HepA-I': ['甲肝灭活疫苗', 'hepatitis A, inactivated'],
};

// The 2025 schedule's doses: [vaccine, dose, age in months, extra days].
export const SCHEDULE = [
  ['HepB', 1, 0, 0], ['HepB', 2, 1, 0], ['HepB', 3, 6, 0], ['BCG', 1, 0, 0],
  ['IPV', 1, 2, 0], ['IPV', 2, 3, 0], ['bOPV', 1, 4, 0], ['bOPV', 2, 48, 0],
  ['DTaP', 1, 2, 0], ['DTaP', 2, 4, 0], ['DTaP', 3, 6, 0], ['DTaP', 4, 18, 0], ['DTaP', 5, 72, 0],
  ['MMR', 1, 8, 0], ['MMR', 2, 18, 0], ['JE-L', 1, 8, 0], ['JE-L', 2, 24, 0],
  ['JE-I', 1, 8, 0], ['JE-I', 2, 8, 7], ['JE-I', 3, 24, 0], ['JE-I', 4, 72, 0],
  ['MPSV-A', 1, 6, 0], ['MPSV-A', 2, 9, 0], ['MPSV-AC', 1, 36, 0], ['MPSV-AC', 2, 72, 0],
  ['HepA-L', 1, 18, 0], ['HepA-I', 1, 18, 0], ['HepA-I', 2, 24, 0],
];

export function vaccineName(code, lang = currentLanguage()) {
  const names = VACCINES[code];
  if (!names) return code;
  return lang === 'en' ? names[1] : names[0];
}

// "乙肝疫苗 第2剂" / "hepatitis B, dose 2".
export function doseName(vaccine, dose, lang = currentLanguage()) {
  return lang === 'en' ? `${vaccineName(vaccine, lang)}, dose ${dose}` : `${vaccineName(vaccine, lang)} 第${dose}剂`;
}

// "出生时" / "8月龄" / "8月龄+7天"; English "at birth" / "8 months".
export function ageText(months, days) {
  const en = currentLanguage() === 'en';
  if (!months && !days) return en ? 'at birth' : '出生时';
  const extra = days ? (en ? ` + ${days} days` : `+${days}天`) : '';
  if (months % 12 === 0 && months >= 24) return (en ? `${months / 12} years` : `${months / 12}岁`) + extra;
  return (en ? `${months} months` : `${months}月龄`) + extra;
}
