#include "synth_second_names.h"

#include <array>
#include <string_view>

namespace onecard::synth::second {
namespace {

// Surnames with their approximate shares (%) of the population, from the Ministry of Public
// Security's household registration statistics ("二〇二〇年全国姓名报告", MPS Household
// Administration Research Center, January 2021: 王, 李, 张, 刘, 陈 about 30% of people).
struct WeightedSurname {
  std::string_view surname;
  double share;
};
constexpr std::array<WeightedSurname, 24> kSurnames{{
    {"王", 7.1}, {"李", 7.0}, {"张", 6.7}, {"刘", 5.4}, {"陈", 4.5}, {"杨", 3.1},
    {"黄", 2.6}, {"赵", 2.2}, {"吴", 2.0}, {"周", 1.9}, {"徐", 1.5}, {"孙", 1.5},
    {"马", 1.5}, {"胡", 1.3}, {"朱", 1.3}, {"郭", 1.2}, {"何", 1.2}, {"罗", 1.1},
    {"高", 1.1}, {"林", 1.1}, {"郑", 1.0}, {"梁", 0.9}, {"谢", 0.8}, {"宋", 0.8},
}};

// Given-name characters grouped by toneless Mandarin reading (Unihan kMandarin, checked by
// synth_second_test.cc against the protocol's reading table). A pinyin IME lists all of a group
// for the same typed syllable. Children's names lean on the characters of the MPS report's most
// given names of 2020 (奕辰, 宇轩, 浩宇, 一诺, 欣怡, 梓涵, 语桐, 雨桐 ...).
struct SyllableGroup {
  std::string_view syllable;
  std::string_view boys, girls;  // characters used in boys' / girls' names
};
constexpr std::array<SyllableGroup, 52> kGroups{{
    {"chen", "辰宸晨", "晨辰"},
    {"yu", "宇煜昱", "雨语玉钰瑜"},
    {"xuan", "轩宣", "萱璇暄"},
    {"hao", "浩豪昊皓", ""},
    {"yi", "奕毅逸", "一依怡艺宜"},
    {"zi", "子梓", "梓紫姿"},
    {"mo", "墨默", "沫茉"},
    {"han", "翰瀚", "涵晗含寒"},
    {"tong", "", "桐彤童"},
    {"xin", "鑫新", "欣馨心昕"},
    {"yan", "彦岩", "妍颜燕艳"},
    {"ke", "科", "可珂"},
    {"xi", "熙", "汐希曦溪夕"},
    {"meng", "孟", "梦萌"},
    {"yao", "耀尧", "瑶遥"},
    {"jun", "俊军骏峻", "珺君"},
    {"jie", "杰捷", "洁婕"},
    {"ming", "明铭鸣", "茗明"},
    {"ling", "凌", "玲灵铃"},
    {"lin", "林霖麟", "琳霖"},
    {"ning", "宁", "宁凝柠"},
    {"nan", "南楠", "楠"},
    {"lan", "岚", "兰岚蓝澜"},
    {"nuo", "诺", "诺"},
    {"luo", "洛", "洛珞"},
    {"ni", "", "妮霓"},
    {"li", "力立", "丽莉俐"},
    {"fei", "飞", "菲霏斐"},
    {"hui", "辉晖", "慧惠卉"},
    {"fu", "福富", "芙"},
    {"hu", "虎", "湖"},
    {"fang", "方", "芳"},
    {"huang", "煌", "凰"},
    {"feng", "峰锋丰", "枫凤"},
    {"hong", "宏鸿弘", "红虹"},
    {"zhi", "志智致", "芝之"},
    {"ze", "泽", "泽"},
    {"zhe", "哲", "哲"},
    {"shi", "世仕", "诗"},
    {"si", "思斯", "思丝"},
    {"shu", "树", "淑舒书"},
    {"su", "", "素苏"},
    {"jin", "锦晋进", "瑾锦"},
    {"jing", "景靖", "静晶婧菁"},
    {"min", "民", "敏"},
    {"yin", "胤", "茵音"},
    {"ying", "", "英颖莹盈"},
    {"xing", "星兴", "星"},
    {"zhen", "振", "珍"},
    {"zheng", "正政铮", ""},
    {"cheng", "成诚承", "澄"},
    {"rui", "睿瑞锐", "蕊睿"},
}};

// Syllable pairs a dialect merger makes sound alike, by merger. Sources: Language Atlas of China
// (中国语言地图集, 2nd ed., 2012) and its summaries in the phonology sections of the Wikipedia
// articles "Southwestern Mandarin", "Sichuanese dialects", "Lower Yangtze Mandarin", "Xiang
// Chinese" and "Gan Chinese"; for f/h: Li Yan and Song Xiaochuan, "The Survey on the Distribution
// of MC Fei and Xiao Initial Groups in Chinese Dialects", IALP 2020 (mixing in Sichuan, Hunan,
// Guangxi and the southwest).
struct MergedPair {
  unsigned merger;
  std::string_view a, b;
};
constexpr std::array<MergedPair, 20> kMergedPairs{{
    {kMergesNL, "ning", "ling"},     {kMergesNL, "nan", "lan"},
    {kMergesNL, "nuo", "luo"},       {kMergesNL, "ni", "li"},
    {kMergesFH, "fu", "hu"},         {kMergesFH, "fei", "hui"},
    {kMergesFH, "fang", "huang"},    {kMergesFH, "feng", "hong"},
    {kMergesRetroflex, "zi", "zhi"}, {kMergesRetroflex, "ze", "zhe"},
    {kMergesRetroflex, "si", "shi"}, {kMergesRetroflex, "su", "shu"},
    {kMergesNasal, "xin", "xing"},   {kMergesNasal, "jin", "jing"},
    {kMergesNasal, "lin", "ling"},   {kMergesNasal, "min", "ming"},
    {kMergesNasal, "yin", "ying"},   {kMergesNasal, "zhen", "zheng"},
    {kMergesNasal, "chen", "cheng"}, {kMergesNasal, "fen", "feng"},
}};

// Simplified → traditional forms of characters in these tables (Unihan kTraditionalVariant;
// checked by synth_second_test.cc against the protocol's folding table).
constexpr std::string_view kTraditional =
    "刘劉陈陳杨楊黄黃赵趙吴吳张張孙孫马馬罗羅郑鄭谢謝轩軒诺諾梦夢杰傑洁潔军軍骏駿铭銘鸣鳴灵靈"
    "宁寧兰蘭岚嵐丽麗飞飛辉輝凤鳳红紅鸿鴻泽澤诚誠诗詩丝絲书書树樹苏蘇锦錦进進静靜银銀颖穎莹瑩"
    "兴興铮錚锐銳语語钰鈺艺藝颜顏尧堯遥遙晖暉铃鈴华華伟偉刚剛涛濤国國贵貴荣榮";

// Characters of parents' (born 1975–2000) and grandparents' names, common in those generations.
constexpr std::string_view kFatherChars = "伟强军华建国明勇刚涛斌平辉峰鹏波超磊杰东";
constexpr std::string_view kMotherChars = "丽芳娟敏静燕霞红玲英梅艳萍丹琴慧娜秀";
constexpr std::string_view kGrandfatherChars = "德福贵荣振国长林春庆发海山文和";
constexpr std::string_view kGrandmotherChars = "桂兰秀英凤玉春翠珍花梅菊芬淑";

std::string CharAt(std::string_view chars, std::size_t i) {
  return std::string(chars.substr(3 * i, 3));
}
std::string DrawChar(std::string_view chars, SynthRandom& rng) {
  return CharAt(chars, rng.Below(chars.size() / 3));
}
std::string_view AllChars(const SyllableGroup& g, std::string& buffer) {
  buffer = std::string(g.boys) + std::string(g.girls);
  return buffer;
}
const SyllableGroup* GroupOfSyllable(std::string_view syllable) {
  for (const SyllableGroup& g : kGroups) {
    if (g.syllable == syllable) return &g;
  }
  return nullptr;
}
const SyllableGroup* GroupOfChar(const std::string& c) {
  for (const SyllableGroup& g : kGroups) {
    if (g.boys.find(c) != std::string_view::npos || g.girls.find(c) != std::string_view::npos)
      return &g;
  }
  return nullptr;
}
// A character of `group` other than `c`, or "" when the group has no other.
std::string OtherCharOf(const SyllableGroup& group, const std::string& c, SynthRandom& rng) {
  std::string buffer;
  std::vector<std::string> others;
  for (const std::string& o : SplitHan(std::string(AllChars(group, buffer)))) {
    if (o != c) others.push_back(o);
  }
  return others.empty() ? "" : others[rng.Below(others.size())];
}
std::string Join(const std::vector<std::string>& chars) {
  std::string out;
  for (const std::string& c : chars) out += c;
  return out;
}

}  // namespace

unsigned DialectMergersOf(const std::string& area) {
  std::string_view province = std::string_view(area).substr(0, 2);
  const unsigned south_west = kMergesNL | kMergesFH | kMergesRetroflex | kMergesNasal;
  if (province == "51" || province == "50" || province == "52" || province == "43" ||
      province == "45")
    return south_west;  // Sichuan, Chongqing, Guizhou (SW Mandarin), Hunan (Xiang), Guangxi
  if (province == "42" || province == "36") return kMergesNL | kMergesRetroflex | kMergesNasal;
  if (province == "34" || province == "32") return kMergesNL | kMergesNasal;  // Jiang-Huai
  return 0;  // Henan (Central Plains Mandarin) and the north keep these sounds apart
}

bool MergedInDialect(std::string_view a, std::string_view b, unsigned mergers) {
  for (const MergedPair& pair : kMergedPairs) {
    if ((pair.merger & mergers) && ((pair.a == a && pair.b == b) || (pair.a == b && pair.b == a)))
      return true;
  }
  return false;
}

std::string DrawSurname(SynthRandom& rng) {
  std::vector<double> weights;
  for (const WeightedSurname& s : kSurnames) weights.push_back(s.share);
  return std::string(kSurnames[rng.Weighted(weights)].surname);
}

std::string DrawChildNameChar(SynthRandom& rng, char sex) {
  for (;;) {
    const SyllableGroup& g = kGroups[rng.Below(kGroups.size())];
    std::string_view chars = sex == 'M' ? g.boys : g.girls;
    if (!chars.empty()) return DrawChar(chars, rng);
  }
}

std::string DrawAdultGivenName(SynthRandom& rng, char sex, bool grandparent) {
  std::string_view chars = grandparent ? (sex == 'M' ? kGrandfatherChars : kGrandmotherChars)
                                       : (sex == 'M' ? kFatherChars : kMotherChars);
  std::string given = DrawChar(chars, rng);
  if (rng.Chance(0.6)) given += DrawChar(chars, rng);
  return given;
}

std::vector<std::string> SplitHan(const std::string& text) {
  std::vector<std::string> chars;
  for (std::size_t i = 0; i + 3 <= text.size(); i += 3) chars.push_back(text.substr(i, 3));
  return chars;
}

bool TypeHomophone(std::string& given, SynthRandom& rng) {
  std::vector<std::string> chars = SplitHan(given);
  std::size_t i = rng.Below(chars.size());
  const SyllableGroup* group = GroupOfChar(chars[i]);
  if (!group) return false;
  std::string other = OtherCharOf(*group, chars[i], rng);
  if (other.empty()) return false;
  chars[i] = other;
  given = Join(chars);
  return true;
}

bool HearInDialect(std::string& given, unsigned mergers, SynthRandom& rng) {
  std::vector<std::string> chars = SplitHan(given);
  for (std::size_t i = 0; i < chars.size(); ++i) {
    const SyllableGroup* group = GroupOfChar(chars[i]);
    if (!group) continue;
    for (const MergedPair& pair : kMergedPairs) {
      if (!(pair.merger & mergers)) continue;
      std::string_view heard = group->syllable == pair.a   ? pair.b
                               : group->syllable == pair.b ? pair.a
                                                           : std::string_view();
      const SyllableGroup* target = heard.empty() ? nullptr : GroupOfSyllable(heard);
      if (!target) continue;
      chars[i] = OtherCharOf(*target, "", rng);
      given = Join(chars);
      return true;
    }
  }
  return false;
}

bool WriteTraditional(std::string& name) {
  std::vector<std::string> chars = SplitHan(name);
  bool changed = false;
  for (std::string& c : chars) {
    for (std::size_t i = 0; i + 6 <= kTraditional.size(); i += 6) {
      if (kTraditional.substr(i, 3) == c) {
        c = std::string(kTraditional.substr(i + 3, 3));
        changed = true;
        break;
      }
    }
  }
  if (changed) name = Join(chars);
  return changed;
}

bool UseNickname(std::string& given, SynthRandom& rng) {
  std::vector<std::string> chars = SplitHan(given);
  const std::string& last = chars.back();
  given = rng.Chance(0.5) ? "小" + last : last + last;
  return true;
}

}  // namespace onecard::synth::second
