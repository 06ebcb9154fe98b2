import { Injectable } from '@nestjs/common';
import { BUYING_VALUES, CarFeatures, FEATURES } from '../car/attributes';
import { argmax } from '../evaluation/metrics';
import { ModelService } from '../model/model.service';
import { PredictionRequestDto } from './dto/prediction-request.dto';
import { PredictionResponseDto } from './dto/prediction-response.dto';

@Injectable()
export class PredictionsService {
  constructor(private readonly model: ModelService) {}

  predict(request: PredictionRequestDto): PredictionResponseDto {
    const car: CarFeatures = {};
    for (const feature of FEATURES)
      if (request[feature] !== undefined) car[feature] = request[feature];
    const prediction = this.model.predict(car);
    const extrapolation = prediction.matchingTrainingRows === 0;
    return {
      buying: BUYING_VALUES[argmax(prediction.probabilities)],
      probabilities: Object.fromEntries(
        BUYING_VALUES.map((value, i) => [value, Number(prediction.probabilities[i].toFixed(6))]),
      ) as unknown as PredictionResponseDto['probabilities'],
      matchingTrainingRows: prediction.matchingTrainingRows,
      extrapolation,
      modelVersion: prediction.modelVersion,
      marginalised: prediction.missing,
      weightsFrom: prediction.weightsFrom,
      note: extrapolation
        ? 'No training row has this combination of attributes: the answer is an extrapolation from the model’s main effects, not evidence from data.'
        : `${prediction.matchingTrainingRows} training rows have this combination of attributes.`,
    };
  }
}
