// Area codes for the synthetic population, from the GB/T 2260 table shipped in onecard_protocol
// (gbt2260.tsv): counties of the major sending provinces (hukou areas) and districts of the major
// receiving cities (residence areas of migrant families), with rough weights.
// Thread-safe (tables built once, on first use).
#pragma once

#include <string>
#include <vector>

#include "onecard/tools/synth_random.h"

namespace onecard::synth {

// A county code in a sending province: Henan 41, Anhui 34, Sichuan 51, Hunan 43, Jiangxi 36,
// Guizhou 52, Hubei 42, Jiangsu 32 (north), Guangxi 45, Chongqing 50.
std::string DrawSendingCounty(SynthRandom& rng);
// A district code in a receiving city: Guangzhou, Shenzhen, Dongguan, Foshan (Guangdong 44),
// Shanghai 31, Beijing 11, Hangzhou, Ningbo, Wenzhou (Zhejiang 33), Suzhou (Jiangsu 32),
// Xiamen, Quanzhou (Fujian 35).
std::string DrawReceivingDistrict(SynthRandom& rng);
// The prefecture code containing a county code ("341322" → "341300").
std::string PrefectureOf(const std::string& county);

}  // namespace onecard::synth
