// The line above every recommender block's drawing that says which ratings it uses: the generated
// data (and how to bring one's own MovieLens), or the student's copy with a way back; and, in place,
// the message of a dropped MovieLens file or archive that could not be read.
#pragma once

#include "core/recsys/data.h"

namespace lab::ui {

struct LabApp;
void rec_data_banner(LabApp& app, const core::recsys::RecData& data);

}  // namespace lab::ui
