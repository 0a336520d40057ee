import type { SchedulerParametersFields } from "./configuration.js";
import type { Draft, FormDescription } from "./record-kind.js";
import { validateFields, wholeNumber } from "./validation.js";

const labels = {
	tryCount: "Try count",
	keepDownloadSessionsDays: "Days to keep download session history",
	keepUploadSessionsDays: "Days to keep upload session history",
	keepPackagesDays: "Days to keep data packages in the working folders",
} as const;

/** Retail scheduler parameters: one record, edited in place. */
export const schedulerParametersForm: FormDescription<SchedulerParametersFields> =
	{
		title: "Retail scheduler parameters",
		fields: [
			{
				key: "tryCount",
				label: labels.tryCount,
				header: "Try count",
				kind: "number",
			},
			{
				key: "keepDownloadSessionsDays",
				label: labels.keepDownloadSessionsDays,
				header: "Download sessions (days)",
				kind: "number",
			},
			{
				key: "keepUploadSessionsDays",
				label: labels.keepUploadSessionsDays,
				header: "Upload sessions (days)",
				kind: "number",
			},
			{
				key: "keepPackagesDays",
				label: labels.keepPackagesDays,
				header: "Packages (days)",
				kind: "number",
			},
		],
		validate: (draft) =>
			validateFields<SchedulerParametersFields>(draft, {
				// 0 means retry without limit, as in the ERP.
				tryCount: { label: labels.tryCount, rule: wholeNumber(0, 1000) },
				keepDownloadSessionsDays: {
					label: labels.keepDownloadSessionsDays,
					rule: wholeNumber(1, 3650),
				},
				keepUploadSessionsDays: {
					label: labels.keepUploadSessionsDays,
					rule: wholeNumber(1, 3650),
				},
				keepPackagesDays: {
					label: labels.keepPackagesDays,
					rule: wholeNumber(1, 3650),
				},
			}),
	};

export function parametersToDraft(
	parameters: SchedulerParametersFields,
): Draft {
	return {
		tryCount: String(parameters.tryCount),
		keepDownloadSessionsDays: String(parameters.keepDownloadSessionsDays),
		keepUploadSessionsDays: String(parameters.keepUploadSessionsDays),
		keepPackagesDays: String(parameters.keepPackagesDays),
	};
}
