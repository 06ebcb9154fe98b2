import { Feature } from '../car/attributes';
import { ModelConfig } from '../model/classifier';
import { FeatureGroup } from '../model/encoding';

const OTHERS: Feature[] = ['doors', 'persons', 'lug_boot', 'safety'];
/** Light penalty: class and maint carry the signal, so their main effects are nearly free. */
const CORE_L2 = 5e-4;

function main(othersL2: number): FeatureGroup[] {
  return [
    { features: ['class'], l2: CORE_L2 },
    { features: ['maint'], l2: CORE_L2 },
    ...OTHERS.map((f) => ({ features: [f], l2: othersL2 })),
  ];
}

const pair = (a: Feature, b: Feature, l2: number): FeatureGroup => ({ features: [a, b], l2 });

function candidate(name: string, groups: FeatureGroup[]): Omit<ModelConfig, 'seed'> {
  return { name, groups, epochs: 150, learningRate: 0.1 };
}

/**
 * The model family searched by cross-validation: one-hot main effects of all six predictors, plus
 * interactions of class with maint (buying reaches class only through the price sub-concept built
 * from buying and maint) and with safety/persons (which decide whether class says anything at all).
 * Penalties are per block; a heavy penalty on a block shrinks it towards the main effects.
 */
export const CANDIDATES: Array<Omit<ModelConfig, 'seed'>> = [
  candidate('main effects', main(CORE_L2)),
  candidate('main + class×maint λ=0.015', [...main(0.15), pair('class', 'maint', 0.015)]),
  candidate('main + class×maint λ=0.05', [...main(0.15), pair('class', 'maint', 0.05)]),
  candidate('main + class×maint λ=0.15', [...main(0.15), pair('class', 'maint', 0.15)]),
  candidate('main + class×maint λ=0.05 + class×{safety,persons} λ=0.015', [
    ...main(0.15),
    pair('class', 'maint', 0.05),
    pair('class', 'safety', 0.015),
    pair('class', 'persons', 0.015),
  ]),
];

/** What the service trains at start-up when no saved model exists (no time for selection there). */
export const FALLBACK_CANDIDATE = CANDIDATES[2];
