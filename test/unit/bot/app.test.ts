import { expect, it } from 'vitest';
import { withoutThrottleOrRetry } from '../../../bot/app.js';

it('turns throttling and retries off even when Probot passes its own throttle callbacks', () => {
  const onRateLimit = () => true;
  const options = withoutThrottleOrRetry({ throttle: { onRateLimit, enabled: true }, retry: { retries: 3 } });
  expect(options.throttle).toEqual({ onRateLimit, enabled: false });
  expect(options.retry).toEqual({ retries: 3, enabled: false });
  expect(withoutThrottleOrRetry()).toEqual({ throttle: { enabled: false }, retry: { enabled: false } });
});
