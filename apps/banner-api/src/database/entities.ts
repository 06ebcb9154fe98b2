import { CreativeEntity } from '../creatives/creative.entity';
import { DatasetEntity, DatasetFileEntity } from '../datasets/dataset.entity';
import { ClickEntity, ConversionEntity, ImpressionEntity } from '../imports/event.entities';
import { ImportEntity } from '../imports/import.entity';
import { SelectionEntity } from '../selection/selection.entity';

/** Every TypeORM entity of the `banner` schema. */
export const entities = [
  ImportEntity,
  ImpressionEntity,
  ClickEntity,
  ConversionEntity,
  SelectionEntity,
  DatasetEntity,
  DatasetFileEntity,
  CreativeEntity,
];
