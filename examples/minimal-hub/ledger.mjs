// Journal entries the ERP books with our postings: balanced double entry, in cents.
// The checker holds the ERP's cash account to the money the gateway and the tills
// actually moved, so every charge and every refund must be posted exactly once.

const CASH = "1000-cash";
const TAX_PAYABLE = "2200-tax-payable";
const REVENUE = "4000-revenue";
const SALES_RETURNS = "4100-sales-returns";

/** Money in for goods handed over: cash debited, revenue and tax credited. */
export const salePosting = (netCents, taxCents) => [
  { account: CASH, dr: netCents + taxCents, cr: 0 },
  { account: REVENUE, dr: 0, cr: netCents },
  { account: TAX_PAYABLE, dr: 0, cr: taxCents },
];

/** Money back for goods returned: the sale reversed through sales returns. */
export const refundPosting = (netCents, taxCents) => [
  { account: SALES_RETURNS, dr: netCents, cr: 0 },
  { account: TAX_PAYABLE, dr: taxCents, cr: 0 },
  { account: CASH, dr: 0, cr: netCents + taxCents },
];
