/*
 * Where the generated customers spend by card: categories by ISO 18245 merchant category code
 * (what OB's MerchantDetails.MerchantCategoryCode carries), each with well-known merchants and the
 * range a single purchase falls in (minor units), and a weight for how often it comes up.
 */

export interface SpendingCategory {
  mcc: string;
  merchants: readonly string[];
  /** Smallest and largest purchase, in minor units. */
  minor: readonly [number, number];
  weight: number;
}

export type SpendingProfile = 'personal-gbp' | 'personal-eur' | 'business';

const PERSONAL_GBP: readonly SpendingCategory[] = [
  { mcc: '5411', merchants: ['Tesco', "Sainsbury's", 'Asda', 'Morrisons', 'Waitrose', 'Aldi', 'Lidl', 'Co-op Food', 'M&S Food'], minor: [350, 11_500], weight: 26 },
  { mcc: '5814', merchants: ["McDonald's", 'Greggs', 'Pret A Manger', 'Leon', 'Subway', 'Costa Coffee', 'Starbucks'], minor: [280, 1_450], weight: 18 },
  { mcc: '5812', merchants: ['Pizza Express', "Nando's", 'Wagamama', 'Dishoom', 'Zizzi', 'Côte Brasserie'], minor: [1_500, 8_900], weight: 7 },
  { mcc: '5813', merchants: ['JD Wetherspoon', 'The Red Lion', 'BrewDog'], minor: [450, 4_200], weight: 5 },
  { mcc: '4111', merchants: ['TfL Travel Charge', 'Stagecoach Bus', 'First Bus'], minor: [170, 890], weight: 10 },
  { mcc: '4112', merchants: ['Trainline', 'LNER', 'Avanti West Coast', 'GWR'], minor: [1_200, 11_800], weight: 2 },
  { mcc: '4121', merchants: ['Uber', 'Bolt', 'Addison Lee'], minor: [750, 3_200], weight: 4 },
  { mcc: '5541', merchants: ['Shell', 'BP', 'Esso', 'Texaco'], minor: [3_000, 8_500], weight: 4 },
  { mcc: '5651', merchants: ['Primark', 'Next', 'H&M', 'Uniqlo', 'Zara'], minor: [900, 9_000], weight: 4 },
  { mcc: '5912', merchants: ['Boots', 'Superdrug', 'Lloyds Pharmacy'], minor: [300, 3_500], weight: 4 },
  { mcc: '5999', merchants: ['Amazon.co.uk', 'Argos', 'eBay'], minor: [500, 6_500], weight: 7 },
  { mcc: '5732', merchants: ['Currys', 'Apple Store', 'Richer Sounds'], minor: [1_999, 39_900], weight: 1 },
  { mcc: '5942', merchants: ['Waterstones', 'WHSmith'], minor: [599, 3_000], weight: 2 },
  { mcc: '7832', merchants: ['Odeon', 'Vue', 'Cineworld'], minor: [850, 2_600], weight: 2 },
  { mcc: '5200', merchants: ['B&Q', 'Wickes', 'Homebase'], minor: [800, 15_000], weight: 1 },
  { mcc: '5310', merchants: ['Poundland', 'B&M', 'Home Bargains'], minor: [200, 2_500], weight: 3 },
  { mcc: '5818', merchants: ['Apple.com/bill', 'Google Play'], minor: [79, 1_299], weight: 3 },
  { mcc: '4511', merchants: ['easyJet', 'British Airways', 'Ryanair'], minor: [3_900, 32_000], weight: 1 },
  { mcc: '7011', merchants: ['Premier Inn', 'Travelodge', 'Hilton'], minor: [5_900, 18_000], weight: 1 },
];

const PERSONAL_EUR: readonly SpendingCategory[] = [
  { mcc: '5411', merchants: ['Carrefour', 'Monoprix', 'Lidl', 'Albert Heijn', 'Mercadona'], minor: [400, 9_500], weight: 24 },
  { mcc: '5814', merchants: ['Paul', 'Starbucks', "McDonald's"], minor: [250, 1_400], weight: 14 },
  { mcc: '5812', merchants: ['Café de Flore', 'Bouillon Chartier', 'Le Relais de l\'Entrecôte'], minor: [1_800, 9_000], weight: 8 },
  { mcc: '4111', merchants: ['RATP', 'BVG', 'GVB'], minor: [190, 1_600], weight: 10 },
  { mcc: '4112', merchants: ['SNCF Connect', 'Deutsche Bahn', 'Eurostar'], minor: [2_500, 16_000], weight: 2 },
  { mcc: '5541', merchants: ['TotalEnergies', 'Esso'], minor: [3_500, 9_000], weight: 3 },
  { mcc: '5732', merchants: ['Fnac', 'MediaMarkt'], minor: [1_500, 30_000], weight: 1 },
  { mcc: '5912', merchants: ['Pharmacie Monge', 'dm-drogerie markt'], minor: [350, 3_000], weight: 4 },
];

const BUSINESS: readonly SpendingCategory[] = [
  { mcc: '5211', merchants: ['Travis Perkins', 'Jewson', 'Selco Builders Warehouse'], minor: [4_500, 95_000], weight: 12 },
  { mcc: '5251', merchants: ['Screwfix', 'Toolstation'], minor: [900, 18_000], weight: 12 },
  { mcc: '5111', merchants: ['Viking Direct', 'Ryman'], minor: [600, 9_000], weight: 4 },
  { mcc: '5734', merchants: ['Xero', 'Microsoft 365', 'Adobe'], minor: [1_000, 6_000], weight: 3 },
  { mcc: '7311', merchants: ['Google Ads', 'Meta Ads'], minor: [2_000, 25_000], weight: 3 },
  { mcc: '4215', merchants: ['DPD', 'Royal Mail Parcelforce', 'DHL'], minor: [800, 6_500], weight: 4 },
  { mcc: '5541', merchants: ['Shell', 'BP', 'Esso'], minor: [4_000, 11_000], weight: 8 },
  { mcc: '5814', merchants: ['Greggs', 'Costa Coffee', 'Pret A Manger'], minor: [280, 2_400], weight: 6 },
  { mcc: '7011', merchants: ['Premier Inn', 'Travelodge'], minor: [6_500, 16_000], weight: 1 },
];

// Each category repeated by its weight: a uniform pick is then a weighted one.
const weighted = (categories: readonly SpendingCategory[]) => categories.flatMap((category) => Array<SpendingCategory>(category.weight).fill(category));

/** The categories of each profile, weighted. */
export const WEIGHTED_CATEGORIES: Readonly<Record<SpendingProfile, readonly SpendingCategory[]>> = { 'personal-gbp': weighted(PERSONAL_GBP), 'personal-eur': weighted(PERSONAL_EUR), business: weighted(BUSINESS) };

/** A customer's regular bills, paid by direct debit: the creditor and the monthly amount's range. */
export interface Biller {
  name: string;
  minor: readonly [number, number];
}

export const PERSONAL_BILLERS: Readonly<Record<'energy' | 'water' | 'phone' | 'broadband' | 'councilTax' | 'gym' | 'insurance', readonly Biller[]>> = {
  energy: [{ name: 'Octopus Energy', minor: [6_500, 16_000] }, { name: 'British Gas', minor: [7_000, 17_000] }, { name: 'EDF Energy', minor: [6_000, 15_000] }],
  water: [{ name: 'Thames Water', minor: [2_800, 4_800] }, { name: 'Yorkshire Water', minor: [2_500, 4_200] }, { name: 'United Utilities', minor: [2_600, 4_500] }],
  phone: [{ name: 'Vodafone', minor: [1_200, 4_500] }, { name: 'EE', minor: [1_500, 5_000] }, { name: 'O2', minor: [1_000, 4_000] }, { name: 'giffgaff', minor: [600, 2_000] }],
  broadband: [{ name: 'BT', minor: [2_900, 5_500] }, { name: 'Virgin Media', minor: [3_200, 7_500] }, { name: 'Sky', minor: [2_500, 6_500] }],
  councilTax: [{ name: 'Leeds City Council', minor: [11_000, 19_000] }, { name: 'Bristol City Council', minor: [12_000, 21_000] }, { name: 'London Borough of Camden', minor: [10_500, 18_500] }],
  gym: [{ name: 'PureGym', minor: [1_999, 3_499] }, { name: 'The Gym Group', minor: [1_799, 2_999] }],
  insurance: [{ name: 'Aviva', minor: [1_500, 4_500] }, { name: 'Direct Line', minor: [2_000, 6_000] }],
};
