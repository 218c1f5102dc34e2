#include "onecard/tools/synth_names.h"

#include <algorithm>
#include <vector>

#include "onecard/protocol/identity_han.h"
#include "onecard/protocol/utf8.h"

namespace onecard::synth {
namespace {

// Top 100 surnames, in rank order; see the header for the source of the order and shares.
constexpr char32_t kSurnames[] =
    U"王李张刘陈杨黄赵吴周徐孙马胡朱郭何罗高林郑梁谢唐许冯宋韩邓彭曹曾田于肖潘袁董叶杜丁蒋程余吕魏"
    U"蔡苏任卢沈姜姚钟崔陆谭汪石付贾范金方韦夏廖侯白孟邹秦尹江熊薛邱阎段雷龙黎史陶贺毛郝顾龚邵万覃"
    U"武钱戴严莫孔向常汤";
constexpr double kTopShares[] = {7.1, 7.0, 6.8, 5.4, 4.6, 3.1, 2.5, 2.3, 2.0, 1.9,
                                 1.5, 1.5, 1.4, 1.3, 1.3, 1.1, 1.1, 1.0, 1.0, 1.0};

constexpr char32_t kBoy[] =
    U"伟强磊军洋勇杰涛浩宇轩睿博俊鹏辉斌超刚健明亮翔宁飞龙豪凯峰鑫毅瑞哲晨泽航铭旭阳昊天皓然诚聪威"
    U"彬锋锐"
    U"志建国华兴德荣成林波东海山松柏栋梁帅达文武坤润嘉楷霖逸钧煜晟骏驰琦瀚烨炎霆胜";
constexpr char32_t kGirl[] =
    U"芳娜敏静丽婷雪琳欣怡涵萱雨诗悦梦瑶琪颖洁燕玲红霞慧倩璐妍蕾薇莹婉淑娟秀兰凤菲茜露晶月馨蓉丹"
    U"冰洋彤桐语嫣婧媛娅姗琦璇蕊茹萍佳慧芸莉蓓岚婕";
constexpr char32_t kNeutral[] =
    U"子一梓思佳嘉晨宇若雨可欣依语安乐心家锦晓小文亦沐知书星辰言希以诺紫逸";

constexpr const char32_t* kMinorityFirstMale[] = {U"买买提", U"艾力", U"阿卜杜",
                                                  U"扎西",   U"次仁", U"努尔"};
constexpr const char32_t* kMinorityFirstFemale[] = {U"阿依古丽", U"古丽娜尔", U"帕提古丽",
                                                    U"卓玛",     U"央金",     U"米热"};
constexpr const char32_t* kMinorityFamily[] = {U"买买提", U"吐尔逊", U"艾力",
                                               U"多吉",   U"阿布都", U"热合曼"};

// Everyday characters beyond the name lists, so that most name characters have homophones and
// near-sound neighbours in the pool.
constexpr char32_t kEveryday[] =
    U"的是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子"
    U"说产种面而方后多定"
    U"行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把"
    U"性好应开它合还因由其"
    U"些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命"
    U"此变条只没结解问意建"
    U"月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基"
    U"资边流路级少图山统接"
    U"知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造"
    U"百规热领七海口东导器"
    U"压志世金增争济阶油思术极交受联什认六共权收证改清美再采转更单风切打白教速花带安场身车例真务具"
    U"万每目至达走积示议声报"
    U"斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影"
    U"算低持音众书布复容儿须"
    U"际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值"
    U"号率族维划选标写存候毛"
    U"亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
    U"龙飞";

bool Contains(std::u32string_view text, char32_t c) {
  return text.find(c) != std::u32string_view::npos;
}

}  // namespace

std::u32string DrawSurname(SynthRandom& rng) {
  static const std::vector<double> weights = [] {
    std::vector<double> w;
    std::u32string_view names(kSurnames);
    for (std::size_t i = 0; i < names.size(); ++i) {
      // Beyond the listed top shares, decay from 0.9% towards 0.1% at rank 100.
      w.push_back(i < std::size(kTopShares) ? kTopShares[i]
                                            : 0.9 - 0.8 * static_cast<double>(i - 20) / 80.0);
    }
    return w;
  }();
  return std::u32string(1, kSurnames[rng.Weighted(weights)]);
}

std::u32string DrawGivenName(SynthRandom& rng, char sex) {
  std::u32string_view own = sex == 'M' ? std::u32string_view(kBoy) : std::u32string_view(kGirl);
  std::u32string_view neutral(kNeutral);
  auto draw = [&] {
    std::u32string_view list = rng.Chance(0.7) ? own : neutral;
    return list[rng.Below(list.size())];
  };
  std::u32string given(1, draw());
  if (rng.Chance(0.8)) {  // two-character given names are the large majority for these cohorts
    char32_t second = draw();
    while (second == given[0] && !rng.Chance(0.3)) second = draw();  // 丹丹, 乐乐 happen
    given.push_back(second);
  }
  return given;
}

std::u32string DrawMinorityName(SynthRandom& rng, char sex) {
  const auto& first = sex == 'M' ? kMinorityFirstMale : kMinorityFirstFemale;
  std::u32string name = first[rng.Below(std::size(first))];
  name += U'·';
  name += kMinorityFamily[rng.Below(std::size(kMinorityFamily))];
  return name;
}

const std::u32string& CommonNameCharacters() {
  static const std::u32string pool = [] {
    std::u32string all;
    for (std::u32string_view list :
         {std::u32string_view(kSurnames), std::u32string_view(kBoy), std::u32string_view(kGirl),
          std::u32string_view(kNeutral), std::u32string_view(kEveryday)}) {
      for (char32_t c : list) {
        if (!Contains(all, c) && ReadingOfHan(c).syllable != 0) all.push_back(c);
      }
    }
    std::sort(all.begin(), all.end());
    return all;
  }();
  return pool;
}

std::string ToUtf8(const std::u32string& text) {
  std::string out;
  for (char32_t c : text) AppendUtf8(out, c);
  return out;
}

}  // namespace onecard::synth
