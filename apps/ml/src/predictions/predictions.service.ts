import { Injectable } from '@nestjs/common';
import { CarFeatures, FEATURES } from '../car/attributes';
import { Answer } from '../model/answer';
import { ModelService } from '../model/model.service';
import { PredictionRequestDto } from './dto/prediction-request.dto';

@Injectable()
export class PredictionsService {
  constructor(private readonly model: ModelService) {}

  /** The served answer to a validated request (its values already normalised by the DTO). */
  predict(request: PredictionRequestDto): Answer {
    const car: CarFeatures = {};
    for (const feature of FEATURES)
      if (request[feature] !== undefined) car[feature] = request[feature];
    return this.model.requireAnswer(car).answer;
  }
}
