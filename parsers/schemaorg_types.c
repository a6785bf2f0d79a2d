/* SPDX-License-Identifier: MIT */
/*
 * The schema.org LocalBusiness types (schema.org 26, the LocalBusiness
 * tree with every subtype) and the OpenStreetMap tag each one means, for
 * the schemaorg parser. A type whose meaning is too broad for one tag
 * (Store, FoodEstablishment, ProfessionalService, ...) has none: the
 * record then carries only the type name as a category. The table is
 * sorted by name (a unit test checks), and looked up by binary search.
 */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "parsers/schemaorg.h"

static const struct cd_schema_type types[] = {
    { "AccountingService", "office=accountant" },
    { "AdultEntertainment", NULL },
    { "AmusementPark", "tourism=theme_park" },
    { "AnimalShelter", "amenity=animal_shelter" },
    { "ArchiveOrganization", NULL },
    { "ArtGallery", "tourism=gallery" },
    { "Attorney", "office=lawyer" },
    { "AutoBodyShop", "shop=car_repair" },
    { "AutoDealer", "shop=car" },
    { "AutoPartsStore", "shop=car_parts" },
    { "AutoRental", "amenity=car_rental" },
    { "AutoRepair", "shop=car_repair" },
    { "AutoWash", "amenity=car_wash" },
    { "AutomatedTeller", "amenity=atm" },
    { "AutomotiveBusiness", NULL },
    { "Bakery", "shop=bakery" },
    { "BankOrCreditUnion", "amenity=bank" },
    { "BarOrPub", "amenity=pub" },
    { "BeautySalon", "shop=beauty" },
    { "BedAndBreakfast", "tourism=guest_house" },
    { "BikeStore", "shop=bicycle" },
    { "BookStore", "shop=books" },
    { "BowlingAlley", "leisure=bowling_alley" },
    { "Brewery", "craft=brewery" },
    { "CafeOrCoffeeShop", "amenity=cafe" },
    { "Campground", "tourism=camp_site" },
    { "Casino", "amenity=casino" },
    { "ChildCare", "amenity=childcare" },
    { "ClothingStore", "shop=clothes" },
    { "ComedyClub", NULL },
    { "ComputerStore", "shop=computer" },
    { "ConvenienceStore", "shop=convenience" },
    { "DaySpa", "shop=beauty" },
    { "Dentist", "amenity=dentist" },
    { "DepartmentStore", "shop=department_store" },
    { "Distillery", "craft=distillery" },
    { "DryCleaningOrLaundry", "shop=dry_cleaning" },
    { "Electrician", "craft=electrician" },
    { "ElectronicsStore", "shop=electronics" },
    { "EmergencyService", NULL },
    { "EmploymentAgency", "office=employment_agency" },
    { "EntertainmentBusiness", NULL },
    { "ExerciseGym", "leisure=fitness_centre" },
    { "FastFoodRestaurant", "amenity=fast_food" },
    { "FinancialService", NULL },
    { "FireStation", "amenity=fire_station" },
    { "Florist", "shop=florist" },
    { "FoodEstablishment", NULL },
    { "FurnitureStore", "shop=furniture" },
    { "GardenStore", "shop=garden_centre" },
    { "GasStation", "amenity=fuel" },
    { "GeneralContractor", "craft=builder" },
    { "GolfCourse", "leisure=golf_course" },
    { "GovernmentOffice", "office=government" },
    { "GroceryStore", "shop=supermarket" },
    { "HVACBusiness", "craft=hvac" },
    { "HairSalon", "shop=hairdresser" },
    { "HardwareStore", "shop=hardware" },
    { "HealthAndBeautyBusiness", NULL },
    { "HealthClub", "leisure=fitness_centre" },
    { "HobbyShop", NULL },
    { "HomeAndConstructionBusiness", NULL },
    { "HomeGoodsStore", "shop=houseware" },
    { "Hospital", "amenity=hospital" },
    { "Hostel", "tourism=hostel" },
    { "Hotel", "tourism=hotel" },
    { "HousePainter", "craft=painter" },
    { "IceCreamShop", "amenity=ice_cream" },
    { "InsuranceAgency", "office=insurance" },
    { "InternetCafe", "amenity=internet_cafe" },
    { "JewelryStore", "shop=jewelry" },
    { "LegalService", "office=lawyer" },
    { "Library", "amenity=library" },
    { "LiquorStore", "shop=alcohol" },
    { "LocalBusiness", NULL },
    { "Locksmith", "shop=locksmith" },
    { "LodgingBusiness", NULL },
    { "MedicalBusiness", NULL },
    { "MedicalClinic", "amenity=clinic" },
    { "MensClothingStore", "shop=clothes" },
    { "MobilePhoneStore", "shop=mobile_phone" },
    { "Motel", "tourism=motel" },
    { "MotorcycleDealer", "shop=motorcycle" },
    { "MotorcycleRepair", "shop=motorcycle_repair" },
    { "MovieRentalStore", "shop=video" },
    { "MovieTheater", "amenity=cinema" },
    { "MovingCompany", "office=moving_company" },
    { "MusicStore", "shop=music" },
    { "NailSalon", "shop=beauty" },
    { "NightClub", "amenity=nightclub" },
    { "Notary", "office=notary" },
    { "OfficeEquipmentStore", "shop=stationery" },
    { "Optician", "shop=optician" },
    { "OutletStore", NULL },
    { "PawnShop", "shop=pawnbroker" },
    { "PetStore", "shop=pet" },
    { "Pharmacy", "amenity=pharmacy" },
    { "Physician", "amenity=doctors" },
    { "Physiotherapy", "healthcare=physiotherapist" },
    { "Plumber", "craft=plumber" },
    { "PoliceStation", "amenity=police" },
    { "PostOffice", "amenity=post_office" },
    { "ProfessionalService", NULL },
    { "PublicSwimmingPool", "leisure=swimming_pool" },
    { "RadioStation", NULL },
    { "RealEstateAgent", "office=estate_agent" },
    { "RecyclingCenter", "amenity=recycling" },
    { "Resort", "leisure=resort" },
    { "Restaurant", "amenity=restaurant" },
    { "RoofingContractor", "craft=roofer" },
    { "SelfStorage", "shop=storage_rental" },
    { "ShoeStore", "shop=shoes" },
    { "ShoppingCenter", "shop=mall" },
    { "SkiResort", "leisure=resort" },
    { "SportingGoodsStore", "shop=sports" },
    { "SportsActivityLocation", NULL },
    { "SportsClub", NULL },
    { "StadiumOrArena", "leisure=stadium" },
    { "Store", NULL },
    { "TattooParlor", "shop=tattoo" },
    { "TelevisionStation", NULL },
    { "TennisComplex", "leisure=sports_centre" },
    { "TireShop", "shop=tyres" },
    { "TouristInformationCenter", "tourism=information" },
    { "ToyStore", "shop=toys" },
    { "TravelAgency", "shop=travel_agency" },
    { "VacationRental", "tourism=apartment" },
    { "WholesaleStore", "shop=wholesale" },
    { "Winery", "craft=winery" },
};

static int cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const struct cd_schema_type *)elem)->name);
}

const struct cd_schema_type *cd_schema_type_find(const char *name,
                                                 size_t n)
{
    char buf[64];
    size_t i;

    for(i = n; i > 0; i--)
        if(name[i - 1] == '/' || name[i - 1] == '#' || name[i - 1] == ':')
            break;
    name += i;
    n -= i;
    if(!n || n >= sizeof(buf))
        return NULL;
    memcpy(buf, name, n);
    buf[n] = '\0';
    return bsearch(buf, types, CD_ARRAY_SIZE(types), sizeof(types[0]),
                   cmp);
}

const struct cd_schema_type *cd_schema_types(size_t *n)
{
    *n = CD_ARRAY_SIZE(types);
    return types;
}
