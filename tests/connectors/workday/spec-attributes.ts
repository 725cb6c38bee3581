import type { SimWorker, WorkerStore } from '../../../simulators/workday/store.ts';

/** The spec's "List of supported Workday attributes", as written there (67 lines; the spec's prose says 69). */
export const SPEC_ATTRIBUTES = `wd:User_ID
wd:Worker_ID
manager
wd:Personal_Data.wd:Name_Data.wd:Preferred_Name_Data.wd:Name_Detail_Data.@wd:Formatted_Name
wd:Personal_Data.wd:Name_Data.wd:Legal_Name_Data.wd:Name_Detail_Data.@wd:Formatted_Name
wd:Personal_Data.wd:Name_Data.wd:Legal_Name_Data.wd:Name_Detail_Data.wd:Prefix_Data.wd:Title_Descriptor
wd:Personal_Data.wd:Name_Data.wd:Preferred_Name_Data.wd:Name_Detail_Data.wd:Prefix_Data.wd:Title_Descriptor
wd:Personal_Data.wd:Name_Data.wd:Preferred_Name_Data.wd:Name_Detail_Data.wd:First_Name
wd:Personal_Data.wd:Name_Data.wd:Preferred_Name_Data.wd:Name_Detail_Data.wd:Last_Name
wd:Personal_Data.wd:Name_Data.wd:Legal_Name_Data.wd:Name_Detail_Data.wd:First_Name
wd:Personal_Data.wd:Name_Data.wd:Legal_Name_Data.wd:Name_Detail_Data.wd:Last_Name
wd:Personal_Data.wd:Contact_Data.wd:Address_Data.0.@wd:Formatted_Address
wd:Personal_Data.wd:Contact_Data.wd:Address_Data.0.wd:Postal_Code
wd:Personal_Data.wd:Contact_Data.wd:Email_Address_Data.0.wd:Email_Address
wd:Personal_Data.wd:Contact_Data.wd:Address_Data.0.wd:Country_Region_Descriptor
wd:Personal_Data.wd:Contact_Data.wd:Phone_Data.0.@wd:Formatted_Phone
wd:Personal_Data.wd:Contact_Data.wd:Phone_Data.0.wd:Country_ISO_Code
wd:Personal_Data.wd:Contact_Data.wd:Phone_Data.0.wd:International_Phone_Code
wd:Personal_Data.wd:Contact_Data.wd:Phone_Data.0.wd:Phone_Number
wd:Personal_Data.wd:Primary_Nationality_Reference.wd:ID.1.$
wd:Personal_Data.wd:Gender_Reference.wd:ID.1.$
wd:Personal_Data.wd:Identification_Data.wd:National_ID.0.wd:National_ID_Data.wd:ID
wd:Personal_Data.wd:Identification_Data.wd:Custom_ID.0.wd:Custom_ID_Data.wd:ID
wd:User_Account_Data.wd:Default_Display_Language_Reference.wd:ID.1.$
wd:Role_Data.wd:Organization_Role_Data.wd:Organization_Role.0.wd:Organization_Role_Reference.wd:ID.1.$
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Position_Title
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Title
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Site_Summary_Data.wd:Name
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Site_Summary_Data.wd:Address_Data.@wd:Formatted_Address
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Job_Classification_Summary_Data.0.wd:Job_Classification_Reference.wd:ID.1.$
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Job_Classification_Summary_Data.0.wd:Job_Group_Reference.wd:ID.1.$
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Work_Space__Reference.wd:ID.1.$
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Job_Profile_Summary_Data.wd:Job_Family_Reference.0.wd:ID.1.$
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Job_Profile_Summary_Data.wd:Job_Profile_Name
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Job_Profile_Summary_Data.wd:Job_Profile_Reference.wd:ID.1.$
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Site_Summary_Data.wd:Address_Data.0.wd:Country_Reference.wd:ID.2.$
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Worker_Type_Reference.wd:ID.1.$
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Site_Summary_Data.wd:Address_Data.0.@wd:Formatted_Address
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Job_Profile_Summary_Data.wd:Management_Level_Reference.wd:ID.1.$
wd:Employment_Data.wd:Worker_Status_Data.wd:Active
wd:Employment_Data.wd:Worker_Status_Data.wd:Active_Status_Date
wd:Employment_Data.wd:Worker_Status_Data.wd:Hire_Date
wd:Employment_Data.wd:Worker_Status_Data.wd:Original_Hire_Date
wd:Employment_Data.wd:Worker_Status_Data.wd:Retired
wd:Employment_Data.wd:Worker_Status_Data.wd:Retirement_Date
wd:Employment_Data.wd:Worker_Status_Data.wd:Terminated
wd:Employment_Data.wd:Worker_Status_Data.wd:Termination_Date
wd:Employment_Data.wd:Worker_Status_Data.wd:Termination_Last_Day_of_Work
wd:Organization_Data.wd:Worker_Organization_Data.0.wd:Organization_Data.wd:Organization_Code
wd:Organization_Data.wd:Worker_Organization_Data.0.wd:Organization_Data.wd:Organization_Name
wd:Organization_Data.wd:Worker_Organization_Data.0.wd:Organization_Data.wd:Organization_Type_Reference.wd:ID.1.$
wd:Organization_Data.wd:Worker_Organization_Data.0.wd:Organization_Data.wd:Organization_Subtype_Reference.wd:ID.1.$
wd:Qualification_Data.wd:Education.0.wd:School_Name
wd:Qualification_Data.wd:External_Job_History.0.wd:Job_History_Data.wd:Job_Title
wd:Qualification_Data.wd:External_Job_History.0.wd:Job_History_Data.wd:Company
wd:Management_Chain_Data.wd:Worker_Supervisory_Management_Chain_Data.wd:Management_Chain_Data.0.wd:Manager.Employee_ID
Primary Work Email
wd:Organization_Type_Reference_Cost_Center_ID
wd:Organization_Type_Reference_Cost_Center_Name
wd:Organization_Type_Reference_Company
wd:Organization_Subtype_Reference_Department
wd:Organization_Subtype_Reference_Division
wd:Universal_ID
wd:Integration_Field_Override_Data.3.wd:Value
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Site_Summary_Data.wd:Address_Data.0.wd:Country_Region_Descriptor
wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Site_Summary_Data.wd:Address_Data.0.wd:Country_Region_Reference.wd:ID.2.$
wd:Personal_Data.wd:Contact_Data.wd:Address_Data.0.wd:Municipality`.split('\n');

/** What each attribute must read for a worker of the simulated tenant. */
export function expected(w: SimWorker, store: WorkerStore): Record<string, string | boolean | null> {
  const P = 'wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.';
  const N = 'wd:Personal_Data.wd:Name_Data.';
  const C = 'wd:Personal_Data.wd:Contact_Data.';
  const S = 'wd:Employment_Data.wd:Worker_Status_Data.';
  const O = 'wd:Organization_Data.wd:Worker_Organization_Data.0.wd:Organization_Data.';
  const codes: Record<string, string> = { DEU: '49', PRT: '351', JPN: '81', CAN: '1', KEN: '254' };
  const manager = w.managerId ? store.get(w.managerId)! : null;
  return {
    'wd:User_ID': w.userId,
    'wd:Worker_ID': w.workerId,
    manager: null,
    [`${N}wd:Preferred_Name_Data.wd:Name_Detail_Data.@wd:Formatted_Name`]: `${w.preferredFirstName} ${w.lastName}`,
    [`${N}wd:Legal_Name_Data.wd:Name_Detail_Data.@wd:Formatted_Name`]: `${w.firstName} ${w.lastName}`,
    [`${N}wd:Legal_Name_Data.wd:Name_Detail_Data.wd:Prefix_Data.wd:Title_Descriptor`]: w.title,
    [`${N}wd:Preferred_Name_Data.wd:Name_Detail_Data.wd:Prefix_Data.wd:Title_Descriptor`]: w.title,
    [`${N}wd:Preferred_Name_Data.wd:Name_Detail_Data.wd:First_Name`]: w.preferredFirstName,
    [`${N}wd:Preferred_Name_Data.wd:Name_Detail_Data.wd:Last_Name`]: w.lastName,
    [`${N}wd:Legal_Name_Data.wd:Name_Detail_Data.wd:First_Name`]: w.firstName,
    [`${N}wd:Legal_Name_Data.wd:Name_Detail_Data.wd:Last_Name`]: w.lastName,
    [`${C}wd:Address_Data.0.@wd:Formatted_Address`]: `${w.street}, ${w.postalCode} ${w.city}, ${w.region}`,
    [`${C}wd:Address_Data.0.wd:Postal_Code`]: w.postalCode,
    [`${C}wd:Email_Address_Data.0.wd:Email_Address`]: w.email,
    [`${C}wd:Address_Data.0.wd:Country_Region_Descriptor`]: w.region,
    [`${C}wd:Phone_Data.0.@wd:Formatted_Phone`]: `+${codes[w.countryAlpha3]} ${w.phone}`,
    [`${C}wd:Phone_Data.0.wd:Country_ISO_Code`]: w.countryAlpha3,
    [`${C}wd:Phone_Data.0.wd:International_Phone_Code`]: codes[w.countryAlpha3],
    [`${C}wd:Phone_Data.0.wd:Phone_Number`]: w.phone,
    'wd:Personal_Data.wd:Primary_Nationality_Reference.wd:ID.1.$': w.countryAlpha2,
    'wd:Personal_Data.wd:Gender_Reference.wd:ID.1.$': w.gender,
    'wd:Personal_Data.wd:Identification_Data.wd:National_ID.0.wd:National_ID_Data.wd:ID': w.nationalId,
    'wd:Personal_Data.wd:Identification_Data.wd:Custom_ID.0.wd:Custom_ID_Data.wd:ID': w.customId,
    'wd:User_Account_Data.wd:Default_Display_Language_Reference.wd:ID.1.$': w.language,
    'wd:Role_Data.wd:Organization_Role_Data.wd:Organization_Role.0.wd:Organization_Role_Reference.wd:ID.1.$': w.organizationRole,
    [`${P}wd:Position_Title`]: w.positionTitle,
    [`${P}wd:Business_Title`]: w.businessTitle,
    [`${P}wd:Business_Site_Summary_Data.wd:Name`]: w.site,
    [`${P}wd:Business_Site_Summary_Data.wd:Address_Data.@wd:Formatted_Address`]: `1 Office Plaza, ${w.postalCode} ${w.city}`,
    [`${P}wd:Job_Classification_Summary_Data.0.wd:Job_Classification_Reference.wd:ID.1.$`]: w.jobClassification,
    [`${P}wd:Job_Classification_Summary_Data.0.wd:Job_Group_Reference.wd:ID.1.$`]: w.jobGroup,
    [`${P}wd:Work_Space__Reference.wd:ID.1.$`]: w.workSpace,
    [`${P}wd:Job_Profile_Summary_Data.wd:Job_Family_Reference.0.wd:ID.1.$`]: w.jobFamily,
    [`${P}wd:Job_Profile_Summary_Data.wd:Job_Profile_Name`]: w.jobProfile,
    [`${P}wd:Job_Profile_Summary_Data.wd:Job_Profile_Reference.wd:ID.1.$`]: w.jobProfile.replace(/ /g, '_'),
    [`${P}wd:Business_Site_Summary_Data.wd:Address_Data.0.wd:Country_Reference.wd:ID.2.$`]: w.countryAlpha3,
    [`${P}wd:Worker_Type_Reference.wd:ID.1.$`]: w.contingent ? 'Contractor' : 'Regular',
    [`${P}wd:Business_Site_Summary_Data.wd:Address_Data.0.@wd:Formatted_Address`]: `1 Office Plaza, ${w.postalCode} ${w.city}`,
    [`${P}wd:Job_Profile_Summary_Data.wd:Management_Level_Reference.wd:ID.1.$`]: w.managementLevel,
    [`${S}wd:Active`]: !w.terminated,
    [`${S}wd:Active_Status_Date`]: w.terminated ? w.terminationDate : w.hireDate,
    [`${S}wd:Hire_Date`]: w.hireDate,
    [`${S}wd:Original_Hire_Date`]: w.originalHireDate,
    [`${S}wd:Retired`]: w.retired,
    [`${S}wd:Retirement_Date`]: w.retirementDate,
    [`${S}wd:Terminated`]: w.terminated,
    [`${S}wd:Termination_Date`]: w.terminationDate,
    [`${S}wd:Termination_Last_Day_of_Work`]: w.terminationDate,
    [`${O}wd:Organization_Code`]: `SUP-${w.department.replace(/ /g, '_')}`,
    [`${O}wd:Organization_Name`]: w.department,
    [`${O}wd:Organization_Type_Reference.wd:ID.1.$`]: 'SUPERVISORY',
    [`${O}wd:Organization_Subtype_Reference.wd:ID.1.$`]: 'Department',
    'wd:Qualification_Data.wd:Education.0.wd:School_Name': w.school,
    'wd:Qualification_Data.wd:External_Job_History.0.wd:Job_History_Data.wd:Job_Title': w.previousJobTitle,
    'wd:Qualification_Data.wd:External_Job_History.0.wd:Job_History_Data.wd:Company': w.previousCompany,
    'wd:Management_Chain_Data.wd:Worker_Supervisory_Management_Chain_Data.wd:Management_Chain_Data.0.wd:Manager.Employee_ID': manager && !manager.contingent ? manager.workerId : null,
    'Primary Work Email': w.email,
    'wd:Organization_Type_Reference_Cost_Center_ID': w.costCenterCode,
    'wd:Organization_Type_Reference_Cost_Center_Name': w.costCenterName,
    'wd:Organization_Type_Reference_Company': w.company,
    'wd:Organization_Subtype_Reference_Department': w.department,
    'wd:Organization_Subtype_Reference_Division': w.division,
    'wd:Universal_ID': w.universalId,
    'wd:Integration_Field_Override_Data.3.wd:Value': w.overrides[3],
    [`${P}wd:Business_Site_Summary_Data.wd:Address_Data.0.wd:Country_Region_Descriptor`]: w.region,
    [`${P}wd:Business_Site_Summary_Data.wd:Address_Data.0.wd:Country_Region_Reference.wd:ID.2.$`]: w.regionCode,
    [`${C}wd:Address_Data.0.wd:Municipality`]: w.city,
  };
}

