/**
 * Who the demo partner is in the (sandbox) directory: its organisation and software, which the
 * bank shows the customer and which name it in its message signatures (`<orgId>/<softwareId>`).
 */
export const DEMO_IDENTITY = {
  orgId: 'demo-budgeting-ltd',
  orgName: 'Demo Budgeting Ltd',
  softwareId: 'demo-budgeting-app',
  clientName: 'Demo Budgeting App',
} as const;
