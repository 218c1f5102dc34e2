#include "event_stream_format.h"

#include <gtest/gtest.h>

#include "onecard/http/event_channel.h"

namespace onecard::http {
namespace {

TEST(EventStreamFormatTest, OneDataLinePerLineOfData) {
  EXPECT_EQ(FormatEvent({7, "card.inserted", R"({"reader":"r1"})"}),
            "id: 7\nevent: card.inserted\ndata: {\"reader\":\"r1\"}\n\n");
  EXPECT_EQ(FormatEvent({8, "", "a\nb\r\nc\rd"}), "id: 8\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  EXPECT_EQ(FormatEvent({9, "x", ""}), "id: 9\nevent: x\ndata: \n\n");
  EXPECT_EQ(FormatEvent({10, "x", "end\n"}), "id: 10\nevent: x\ndata: end\ndata: \n\n");
}

TEST(EventStreamFormatTest, StreamStartsAfterAKnownLastEventIdOnly) {
  EXPECT_EQ(StreamStartsAfter("", 5), 5u);
  EXPECT_EQ(StreamStartsAfter("3", 5), 3u);
  EXPECT_EQ(StreamStartsAfter("5", 5), 5u);
  EXPECT_EQ(StreamStartsAfter("0", 5), 0u);
  EXPECT_EQ(StreamStartsAfter("6", 5), 5u);  // from another channel (a restarted program)
  EXPECT_EQ(StreamStartsAfter("3x", 5), 5u);
  EXPECT_EQ(StreamStartsAfter("-1", 5), 5u);
  EXPECT_EQ(StreamStartsAfter(" 3", 5), 5u);
  EXPECT_EQ(StreamStartsAfter("99999999999999999999999", 5), 5u);
}

TEST(EventChannelTest, HoldsTheLastEventsAndStopsAtClose) {
  auto channel = std::make_shared<EventChannel>(3);
  int wakes = 0;
  {
    EventChannel::Subscription subscription =
        EventChannel::Subscribe(channel, [&wakes] { ++wakes; });
    for (int i = 1; i <= 5; ++i) EXPECT_EQ(channel->Publish("n", std::to_string(i)), uint64_t(i));
  }
  channel->Publish("n", "6");  // no longer subscribed
  EXPECT_EQ(wakes, 5);
  EventChannel::Backlog all = channel->After(0);
  ASSERT_EQ(all.events.size(), 3u);
  EXPECT_EQ(all.events[0]->id, 4u);
  EXPECT_EQ(all.events[2]->data, "6");
  EXPECT_EQ(channel->After(5).events.size(), 1u);
  EXPECT_TRUE(channel->After(6).events.empty());
  EXPECT_FALSE(all.closed);
  channel->Close();
  EXPECT_EQ(channel->Publish("n", "7"), 0u);
  EXPECT_EQ(channel->last_id(), 6u);
  EXPECT_TRUE(channel->After(6).closed);
}

}  // namespace
}  // namespace onecard::http
