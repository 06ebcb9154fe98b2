import { seededRandom } from '@des/shared';

const MANUFACTURERS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Vandelay',
  'Wonka',
  'Stark',
];
const STYLES = [
  'Compact',
  'Classic',
  'Deluxe',
  'Eco',
  'Smart',
  'Portable',
  'Pro',
  'Mini',
  'Ultra',
  'Heavy-duty',
];
const PRODUCTS: [string, number, number][] = [
  // name, typical price, typical weight in kg
  ['Kettle', 35, 1.2],
  ['Blender', 80, 3.5],
  ['Backpack', 60, 0.9],
  ['Desk Lamp', 45, 1.5],
  ['Water Bottle', 18, 0.35],
  ['Headphones', 120, 0.3],
  ['Notebook', 6, 0.25],
  ['Yoga Mat', 30, 1.8],
];

export interface CatalogueItem {
  name: string;
  manufacturer: string;
  cost: string;
  weightKg: string;
}

/** 640 items: every style × product × manufacturer, priced around the product's typical price. */
export function catalogue(seed = 42): CatalogueItem[] {
  const random = seededRandom(seed);
  return MANUFACTURERS.flatMap((manufacturer) =>
    PRODUCTS.flatMap(([product, price, weight]) =>
      STYLES.map((style) => ({
        name: `${style} ${product}`,
        manufacturer,
        cost: (price * (0.5 + random() * 1.5)).toFixed(2),
        weightKg: (weight * (0.6 + random() * 0.8)).toFixed(3),
      })),
    ),
  );
}
