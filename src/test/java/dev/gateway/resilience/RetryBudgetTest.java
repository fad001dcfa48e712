package dev.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private final AtomicLong now = new AtomicLong();

    @Test
    void retriesStayWithinTheShareOfRecentRequestsWithASmallFloor() {
        RetryBudget budget = new RetryBudget(20, now::get);
        for (int i = 0; i < RetryBudget.FLOOR; i++) assertThat(budget.tryRetry()).as("the floor").isTrue();
        assertThat(budget.tryRetry()).isFalse();
        for (int i = 0; i < 100; i++) budget.request();
        int allowed = 0;
        while (budget.tryRetry()) allowed++;
        assertThat(allowed + RetryBudget.FLOOR).as("20% of 100 requests").isEqualTo(20);
        now.addAndGet(RetryBudget.WINDOW_NANOS);
        assertThat(budget.tryRetry()).as("a new window").isTrue();
    }
}
