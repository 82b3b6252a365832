// The demo partner's headless customer is the tests' customer too: one browser to keep in step with the pages.
export { CustomerBrowser, offeredChoices, shownCode } from '../../sandbox/demo-partner/customer-browser.ts';
